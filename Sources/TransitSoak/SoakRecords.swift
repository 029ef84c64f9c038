/// What the soak sent: one input record (the same event id may be sent more than once on purpose).
public struct SoakInput: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case referral
        case consent
        case visitScheduled(visitID: String)
        case visitRescheduled(visitID: String)
        case visitCancelled(visitID: String)
        case screeningCompleted
        case travelRequested
        case partnerUpdate
        case rpc
    }

    public var eventID: String
    public var key: String
    public var kind: Kind

    public init(eventID: String, key: String, kind: Kind) {
        self.eventID = eventID
        self.key = key
        self.kind = kind
    }
}

/// One record TrialTransit published, as the soak read it back from the start of its topic.
public struct SoakOutput: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: String
    public var eventID: String
    /// The envelope's `occurred_at` (orders slot holds across patients).
    public var occurredAt: Int64
    /// The record's value bytes: a duplicate must be a byte-identical copy.
    public var payload: [UInt8]
    public var fact: SoakFact

    public init(
        topic: String, partition: Int32, offset: Int64, key: String, eventID: String, occurredAt: Int64, payload: [UInt8],
        fact: SoakFact
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.payload = payload
        self.fact = fact
    }
}

/// The domain content of an output that the checker models. States and statuses are the wire enum
/// numbers (`EnrollmentState`, `RideStatus` in common.proto / enrollment.proto).
public enum SoakFact: Sendable, Equatable {
    case enrollmentStatus(trialID: String, previous: Int, state: Int)
    case slotReserved(trialID: String, siteID: String, slotID: String)
    case slotReleased(trialID: String, siteID: String, slotID: String)
    case visitPlanned(visitID: String)
    case travelNeeded(visitID: String)
    case travelNoLongerNeeded(visitID: String, visitCancelled: Bool)
    case rideRequested(bookingID: String, visitID: String, legIDs: [String])
    case rideConfirmed(bookingID: String, legID: String)
    case rideStatus(bookingID: String, legID: String, status: Int)
    case rideCancelled(bookingID: String, legID: String)
    case rideNeedsAttention(bookingID: String, legID: String)
    /// A dead letter of the input with this event id (read from the dead-letter topic).
    case deadLettered(inputEventID: String)
    /// Anything else (offers, other bodies); counted, not modelled.
    case other(String)

    /// A short name of the body, for tables.
    public var kind: String {
        switch self {
        case .enrollmentStatus: "EnrollmentStatusChanged"
        case .slotReserved: "SlotReserved"
        case .slotReleased: "SlotReleased"
        case .visitPlanned: "VisitPlanned"
        case .travelNeeded: "TravelNeeded"
        case .travelNoLongerNeeded: "TravelNoLongerNeeded"
        case .rideRequested: "RideRequested"
        case .rideConfirmed: "RideConfirmed"
        case .rideStatus: "RideStatusChanged"
        case .rideCancelled: "RideCancelled"
        case .rideNeedsAttention: "RideNeedsAttention"
        case .deadLettered: "DeadLetter"
        case .other(let name): name
        }
    }
}

/// Ride status numbers the checker needs (`RideStatus` in common.proto).
public enum SoakRideStatus {
    public static let accepted = 3
    public static let pickedUp = 6
    public static let completed = 7
    public static let cancelled = 8
    public static let noShow = 9
    public static let needsAttention = 13

    /// A leg in one of these is over: no further status may follow.
    public static func isTerminal(_ status: Int) -> Bool { status == completed || status == cancelled || status == noShow }

    /// The partner's progress ACCEPTED … COMPLETED: along a ride it only moves forward.
    public static func isProgress(_ status: Int) -> Bool { (accepted...completed).contains(status) }
}
