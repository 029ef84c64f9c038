import Tracing

/// Spans of RPC calls (OpenTelemetry RPC conventions): a client span around each call, a server
/// span around each request served. Attributes carry the method and status only, never a key.
public enum RPCSpans {
    /// Starts the server span of `request`, a child of `parent` (the request's context, or the
    /// span of the worker handling it).
    public static func server(_ request: RPCRequest, parent: ServiceContext, tracer: any Tracer) -> any Span {
        let span = tracer.startSpan(name(request.method), context: parent, ofKind: .server)
        describe(span, method: request.method)
        return span
    }

    /// Starts the client span of a call to `path`.
    static func client(_ path: String, parent: ServiceContext, tracer: any Tracer) -> any Span {
        let span = tracer.startSpan(name(path), context: parent, ofKind: .client)
        describe(span, method: path)
        return span
    }

    /// Records the call's status (nil: no answer) and ends `span`.
    public static func end(_ span: any Span, status: RPCStatusCode?) {
        if let status {
            span.attributes["rpc.grpc.status_code"] = Int64(status.rawValue)
            if status != .ok { span.setStatus(SpanStatus(code: .error, message: status.name)) }
        }
        span.end()
    }

    /// `service/method` for a gRPC path `/service/method`, else `rpc` (the header is the sender's).
    private static func name(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].isEmpty && path.utf8.count <= 200 ? String(path.dropFirst()) : "rpc"
    }

    private static func describe(_ span: any Span, method path: String) {
        span.attributes["rpc.system"] = "trialtransit-kafka"
        let parts = name(path).split(separator: "/")
        if parts.count == 2 {
            span.attributes["rpc.service"] = String(parts[0])
            span.attributes["rpc.method"] = String(parts[1])
        }
    }
}
