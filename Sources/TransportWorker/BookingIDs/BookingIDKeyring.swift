import Crypto

/// Booking ids: deterministic per (patient, visit), opaque and **keyed**, so that nobody without
/// the secret (a partner, who sees booking ids) can confirm a guessed patient ref.
///
/// `bk-<key id>-` + the first 32 hex digits (128 bits) of HMAC-SHA-256, keyed with the key's
/// secret, over the UTF-8 text `trialtransit.booking.v1\n<byte length of patientRef>:<patientRef>\n<visitID>`.
///
/// **Rotation.** New bookings get the current (first) key. A booking made under an older key of
/// the ring keeps its id: lookups by (patient, visit) try every key, newest first, then the
/// unkeyed ids of earlier versions (`bk-` + 32 hex digits of plain SHA-256 over the same text),
/// so bookings made before keys existed are still found. Lookups by booking id need no key.
public struct BookingIDKeyring: Sendable {
    /// The current key first, then older keys still recognised.
    public let keys: [BookingIDKey]

    public init(current: BookingIDKey, older: [BookingIDKey] = []) throws(BookingIDKeyError) {
        var seen: Set<String> = []
        for key in [current] + older where !seen.insert(key.id).inserted { throw .duplicateKeyID(key.id) }
        keys = [current] + older
    }

    /// The key new booking ids are made with.
    public var current: BookingIDKey { keys[0] }

    /// The booking id of a patient's visit under the current key.
    public func derive(patientRef: String, visitID: String) -> String {
        Self.derive(patientRef: patientRef, visitID: visitID, key: current)
    }

    /// The ids the visit's booking may have, in lookup order: each key's, newest first, then the
    /// unkeyed id of earlier versions.
    public func candidates(patientRef: String, visitID: String) -> [String] {
        keys.map { Self.derive(patientRef: patientRef, visitID: visitID, key: $0) }
            + [Self.unkeyedID(patientRef: patientRef, visitID: visitID)]
    }

    /// Whether `bookingID` is the id of this patient's visit under a key of the ring (or unkeyed).
    public func recognises(_ bookingID: String, patientRef: String, visitID: String) -> Bool {
        candidates(patientRef: patientRef, visitID: visitID).contains(bookingID)
    }

    /// The key id embedded in a booking id; nil for an unkeyed (earlier version's) or foreign id.
    public static func keyID(of bookingID: String) -> String? {
        let parts = bookingID.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "bk", BookingIDKey.isValidID(String(parts[1])), parts[2].utf8.count == 32
        else { return nil }
        return String(parts[1])
    }

    /// The booking id of a patient's visit under `key`.
    public static func derive(patientRef: String, visitID: String, key: BookingIDKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: message(patientRef: patientRef, visitID: visitID), using: key.secret)
        return "bk-\(key.id)-" + hex(Array(Array(code).prefix(16)))
    }

    /// The unkeyed id earlier versions gave (plain SHA-256): recognised, never made any more.
    /// Also a one-way, deterministic digest of (label, value) for ids that protect nothing secret.
    public static func unkeyedID(patientRef: String, visitID: String) -> String {
        "bk-" + hex(Array(Array(SHA256.hash(data: message(patientRef: patientRef, visitID: visitID))).prefix(16)))
    }

    private static func message(patientRef: String, visitID: String) -> [UInt8] {
        Array("trialtransit.booking.v1\n\(patientRef.utf8.count):\(patientRef)\n\(visitID)".utf8)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
