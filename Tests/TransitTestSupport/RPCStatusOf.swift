import TransitRPC

/// The status a call ends with: `.ok` when it returns, else its ``RPCError``'s code. Any other
/// error (a time-out, a broken connection) is thrown, so a test never mistakes one for a status.
public func rpcStatus<Response>(_ call: () async throws -> Response) async throws -> RPCStatusCode {
    do {
        _ = try await call()
        return .ok
    } catch let error as RPCError {
        return error.code
    }
}
