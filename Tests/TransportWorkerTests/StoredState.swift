import TransitStore
import TransportBooking
import TransportWorker

/// What the worker's store holds about a patient's personal data (read from its SQLite file).
struct StoredPersonalData: Sendable {
    var legs = 0
    /// Legs that still hold a pickup, a drop-off or a contact token.
    var legsWithPersonalData = 0
    var personalDataErasedAt: Int64?
    var historyEntries = 0
    var statuses: [String] = []
    /// Travel requests kept in the patient's intake.
    var travelRequests = 0
    /// Whether any of the searched strings occurs in the stored booking or intake bytes.
    var rawBytesContainSearched = false
}

extension TransportHarness {
    func storedPersonalData(patient: String, visit: String, searching needles: [String]) async throws -> StoredPersonalData {
        let bookingID = TransportTestSupport.bookingIDs.derive(patientRef: patient, visitID: visit)
        return try await readState { state in
            var result = StoredPersonalData()
            if let booking = try state.booking(id: bookingID) {
                result.legs = booking.legs.count
                result.legsWithPersonalData =
                    booking.legs.filter { $0.pickup != nil || $0.dropOff != nil || $0.contactToken != nil }.count
                result.personalDataErasedAt = booking.personalDataErasedAt
                result.historyEntries = booking.legs.map(\.history.count).reduce(0, +)
                result.statuses = booking.legs.map(\.status.rawValue)
            }
            result.travelRequests = try state.intake(patientRef: patient)?.assistance.count ?? 0
            let raw =
                (try state.rawState(namespace: BookingState.bookingNamespace, key: bookingID) ?? [])
                + (try state.rawState(namespace: BookingState.intakeNamespace, key: patient) ?? [])
            let text = String(decoding: raw, as: UTF8.self)
            result.rawBytesContainSearched = needles.contains { text.contains($0) }
            return result
        }
    }
}
