import TransitKafka
import TransitWire

/// A failure of an operations command, printed by the argument parser as one line
/// (`Error: <message>`) with a non-zero exit status.
struct OperationError: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    var description: String { message }

    /// Runs `body`, turning Kafka and wire errors into one-line operation errors.
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as OperationError {
            throw error
        } catch let error as KafkaError {
            throw OperationError("Kafka: \(error.message)")
        } catch let error as WireError {
            throw OperationError(error.message)
        }
    }
}
