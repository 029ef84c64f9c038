/// `PatientDataErasureRequested` applied to one booking of the patient.
public struct DataErasure: Sendable, Hashable {
    /// Id of the input event.
    public var eventID: String
    /// `erasure_request_id`, for the audit trail.
    public var erasureRequestID: String

    public init(eventID: String, erasureRequestID: String) {
        self.eventID = eventID
        self.erasureRequestID = erasureRequestID
    }
}
