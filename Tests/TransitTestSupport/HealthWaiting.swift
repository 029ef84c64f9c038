import TransitRPC
import TransitWire

/// Asks Health/Check through `client` until it answers (status `serving` when given): Health
/// servers read only the requests written after they started, so a test asks until one does.
/// Throws ``WaitTimeout`` with the last answer or error.
public func waitUntilHealthAnswers(
    _ client: RPCClient, service: String = "", status: ServingStatus? = nil,
    timeout: Duration = .seconds(90)
) async throws {
    var last = "no answer yet"
    try await waitUntil("Health/Check to answer for '\(service)'", timeout: timeout, every: .zero, saw: { last }) {
        do {
            var request = HealthCheckRequest()
            request.service = service
            let response = try await client.call(HealthService.check, request, deadline: .seconds(1))
            last = "\(response.status)"
            return status.map { response.status == $0 } ?? true
        } catch {
            last = "\(error)"
            return false
        }
    }
}
