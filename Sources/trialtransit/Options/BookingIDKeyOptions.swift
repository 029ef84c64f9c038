import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitStore
import TransportWorker

/// `--booking-id-key-file` of the commands that run the transport worker, falling back to
/// `TRIALTRANSIT_BOOKING_ID_KEY_FILE`; without either, the store's generated key
/// (``BookingIDKeySource``; docs/SECURITY.md, "Booking ids").
struct BookingIDKeyOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Booking-id keys: one '<key id> <secret as hex>' a line, the current key first, older keys after it "
                + "(still recognised). Default: $TRIALTRANSIT_BOOKING_ID_KEY_FILE, else a key generated once and kept in the store.",
            valueName: "path"))
    var bookingIDKeyFile: String?

    private var path: String? { bookingIDKeyFile ?? environment("TRIALTRANSIT_BOOKING_ID_KEY_FILE") }

    /// A key file that cannot be used is a one-line error before anything connects.
    func validate() throws {
        _ = try fileKeys()
    }

    /// The worker's keyring (file keys, then the store's generated key if it has one).
    func keyring(store: any TransitStore, logger: Logger) async throws -> BookingIDKeyring {
        try await BookingIDKeySource.keyring(fileKeys: try fileKeys(), store: store, logger: logger)
    }

    private func fileKeys() throws -> [BookingIDKey] {
        guard let path else { return [] }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationError("booking-id key file \(path) cannot be read")
        }
        do { return try BookingIDKeyFile.parse(text) } catch {
            throw ValidationError("booking-id key file \(path): \(error)")
        }
    }
}
