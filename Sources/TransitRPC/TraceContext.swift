/// W3C trace context (`traceparent`): outputs keep the input's trace id and get a new span id.
public enum TraceContext {
    /// `00-<trace id>-<new span id>-<flags>` for a valid `traceparent`, or nil when it is malformed.
    public static func child(of traceparent: String) -> String? {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) })
        else { return nil }
        return "\(parts[0])-\(parts[1])-\(newSpanID())-\(parts[3])"
    }

    /// A random non-zero 16-hex-digit span id.
    public static func newSpanID() -> String {
        String(UInt64.random(in: 1...UInt64.max), radix: 16).leftPadded(to: 16)
    }

    /// The trace id of a `traceparent`, if well formed.
    public static func traceID(of traceparent: String) -> Substring? {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[1].count == 32 ? parts[1] : nil
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
