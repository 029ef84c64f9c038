/// The transport booking state machine. Pure and deterministic: no clock, no randomness; the
/// same inputs give the same decision, output ids included.
///
/// The wiring loads the booking (by the keyed id of the patient's visit, which it also puts in a
/// ``TravelRequest/bookingID``, or by the booking id of a partner update or timer), calls ``decide(_:booking:partners:now:config:)``, and on success
/// stores `decision.booking` and writes the decision's outputs in one transaction.
public struct BookingDecider: Sendable {
    public init() {}

    /// Decides what `command` does to `booking` (nil = no booking for that visit yet).
    ///
    /// A command whose event id already changed this booking is a no-op (replay protection).
    /// Duplicate or stale partner updates and stale timers are no-ops too (``BookingDecision/ignoredReason``).
    public func decide(
        _ command: BookingCommand, booking: Booking?, partners: PartnerDirectory, now: Int64,
        config: BookingConfig = .standard
    ) -> Result<BookingDecision, BookingRejection> {
        guard !command.eventID.isEmpty else { return .failure(BookingRejection(.invalidArgument, "event id is empty")) }
        if let booking, booking.hasApplied(eventID: command.eventID) {
            return .success(BookingDecision(booking: booking, ignoredReason: ReasonCode.alreadyApplied))
        }
        let context = DeciderContext(partners: partners, now: now, config: config)
        switch command {
        case .requestTravel(let request): return context.requestTravel(request, booking: booking)
        case .cancel(let request): return context.cancel(request, booking: booking)
        case .reschedule(let request): return context.reschedule(request, booking: booking)
        case .partnerUpdate(let update): return context.partnerUpdate(update, booking: booking)
        case .offerTimedOut(let timeout): return context.offerTimedOut(timeout, booking: booking)
        case .eraseData(let erasure): return context.eraseData(erasure, booking: booking)
        case .rebook(let request): return context.rebook(request, booking: booking)
        }
    }
}

/// The fixed inputs of one decision.
struct DeciderContext {
    let partners: PartnerDirectory
    let now: Int64
    let config: BookingConfig

    func builder(_ booking: Booking, inputID: String) -> DecisionBuilder {
        DecisionBuilder(booking: booking, inputID: inputID, now: now, partners: partners, config: config)
    }

    func ignored(_ booking: Booking, _ reason: String) -> Result<BookingDecision, BookingRejection> {
        .success(BookingDecision(booking: booking, ignoredReason: reason))
    }
}

extension Result where Failure == BookingRejection {
    static func reject(_ code: BookingRejection.Code, _ message: String) -> Self {
        .failure(BookingRejection(code, message))
    }
}
