/// Booking ids: deterministic per (patient, visit), opaque, no patient data inside.
///
/// `bk-` + the first 32 hex digits (128 bits) of SHA-256 over the UTF-8 text
/// `trialtransit.booking.v1\n<byte length of patientRef>:<patientRef>\n<visitID>`.
/// No secret is involved, so any component (or another language) can compute it; it is one-way,
/// so a partner that sees it learns nothing about the pseudonym.
public enum BookingID {
    /// The booking id of a patient's visit.
    public static func derive(patientRef: String, visitID: String) -> String {
        let input = "trialtransit.booking.v1\n\(patientRef.utf8.count):\(patientRef)\n\(visitID)"
        return "bk-" + SHA256.hex(Array(SHA256.digest(Array(input.utf8)).prefix(16)))
    }
}
