import Foundation
import Testing
import TransportBooking

/// Shared places, partners and helpers. Times are unix ms; `now` is 2026-03-02T08:00:00Z.
enum Fixture {
    static let now: Int64 = 1_772_438_400_000
    static let minute: Int64 = 60_000
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour
    /// 10:00 three days later.
    static let appointment: Int64 = now + 3 * day + 2 * hour

    static let bostonCentre = GeoPoint(latitude: 42.36, longitude: -71.06)
    /// Massachusetts General Hospital, main entrance (the sample trial site).
    static let site = Location(
        point: GeoPoint(latitude: 42.3626, longitude: -71.0687),
        addressText: "55 Fruit St, Boston MA 02114, main entrance")
    static let cambridgeHome = Location(
        point: GeoPoint(latitude: 42.3736, longitude: -71.1097), addressText: "12 Elm St, Cambridge MA 02139")
    /// About 62 km from Boston: outside the taxi's 60 km, inside the medical partner's 120 km.
    static let worcesterHome = Location(
        point: GeoPoint(latitude: 42.2626, longitude: -71.8023), addressText: "8 Main St, Worcester MA 01608")
    /// About 129 km from Boston: outside both.
    static let springfieldHome = Location(
        point: GeoPoint(latitude: 42.1015, longitude: -72.5898), addressText: "3 State St, Springfield MA 01103")

    static let patientRef = "p-7f3a9c"
    static let trialID = "NCT01234567"
    static let visitID = "v-c1d1"
    /// The id the wiring would assign to the patient's visit (any opaque id serves the domain).
    static let bookingID = bookingID(for: visitID)

    /// An opaque test id per visit (FNV-1a of the visit id): names neither patient nor visit.
    static func bookingID(for visitID: String) -> String {
        "bk-test-" + String(visitID.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
    }
    static let contactToken = "ct-9f8e7d6c"

    static let taxi = Partner(
        id: "metro-taxi", name: "Metro Taxi", serviceArea: ServiceArea(centre: bostonCentre, radiusKm: 60),
        mobility: [.ambulatory], companionSeats: 3, minimumLeadTimeMinutes: 120, freeCancellationMinutes: 60,
        responseTimeoutSeconds: 120, priority: 1)
    static let medical = Partner(
        id: "careways-medical", name: "Careways Medical Transport",
        serviceArea: ServiceArea(centre: bostonCentre, radiusKm: 120),
        mobility: [.ambulatory, .wheelchair, .stretcher],
        companionSeats: 1, minimumLeadTimeMinutes: 1440, freeCancellationMinutes: 1440, responseTimeoutSeconds: 600,
        priority: 2)

    /// The two sample partners.
    static var directory: PartnerDirectory { try! PartnerDirectory(partners: [taxi, medical]) }

    static func request(
        eventID: String = "tar-1", origin: TravelRequest.Origin = .travelAssistanceRequested,
        visitID: String = visitID, pickup: Location = cambridgeHome, dropOff: Location = site,
        appointmentAt: Int64? = appointment, durationMinutes: UInt32? = 90, pickupWindow: TimeWindow? = nil,
        returnTrip: Bool = true, mobility: Mobility = .ambulatory, companions: UInt32 = 0,
        preferredPartnerID: String? = nil
    ) -> TravelRequest {
        TravelRequest(
            eventID: eventID, origin: origin, patientRef: patientRef, trialID: trialID, visitID: visitID,
            travelRequestID: "req-1", appointmentAt: appointmentAt, visitDurationMinutes: durationMinutes,
            pickupWindow: pickupWindow, pickup: pickup, dropOff: dropOff, returnTrip: returnTrip,
            needs: RideNeeds(mobility: mobility, companions: companions, language: "en"), contactToken: contactToken,
            preferredPartnerID: preferredPartnerID, bookingID: bookingID(for: visitID))
    }
}

/// Drives one booking through commands, checking invariants of every decision.
struct Scenario {
    var booking: Booking?
    var directory: PartnerDirectory
    var config: BookingConfig
    var now: Int64
    private var counter = 0

    init(
        directory: PartnerDirectory = Fixture.directory, config: BookingConfig = .standard, now: Int64 = Fixture.now
    ) {
        self.directory = directory
        self.config = config
        self.now = now
    }

    /// Starts with a booking for `request`.
    static func booked(
        _ request: TravelRequest = Fixture.request(), directory: PartnerDirectory = Fixture.directory,
        now: Int64 = Fixture.now
    ) throws -> Scenario {
        var scenario = Scenario(directory: directory, now: now)
        try scenario.apply(.requestTravel(request))
        return scenario
    }

    var value: Booking { booking! }

    func leg(_ id: String) -> RideLeg { value.leg(id: id)! }

    /// Applies a command that must succeed; the booking becomes the decision's.
    @discardableResult
    mutating func apply(_ command: BookingCommand) throws -> BookingDecision {
        let decision = try BookingDecider().decide(
            command, booking: booking, partners: directory, now: now, config: config
        ).get()
        Scenario.checkInvariants(decision)
        booking = decision.booking
        return decision
    }

    /// Applies a command that must fail.
    func rejection(_ command: BookingCommand) -> BookingRejection? {
        switch BookingDecider().decide(command, booking: booking, partners: directory, now: now, config: config) {
        case .success: nil
        case .failure(let rejection): rejection
        }
    }

    /// A partner update with a fresh event id.
    @discardableResult
    mutating func update(
        _ legID: String, _ status: RideStatus, sequence: UInt64, partner: String? = nil, eta: Int64? = nil,
        reason: PartnerReason? = nil
    ) throws -> BookingDecision {
        counter += 1
        let partnerID = partner ?? leg(legID).currentPartnerID ?? ""
        return try apply(
            .partnerUpdate(
                PartnerUpdate(
                    eventID: "pu-\(counter)", partnerID: partnerID, bookingID: value.bookingID, legID: legID,
                    partnerRideID: "ride-\(legID)", status: status, sequence: sequence, etaAt: eta, reason: reason)))
    }

    /// Fires the current offer's timer of a leg.
    @discardableResult
    mutating func timeOut(_ legID: String) throws -> BookingDecision {
        let leg = leg(legID)
        return try apply(
            .offerTimedOut(OfferTimeout(bookingID: value.bookingID, legID: legID, offerSequence: leg.offerAttempts)))
    }

    /// Every decision: unique output ids, every recorded transition allowed, no personal data on
    /// booking events or audit records, output ids derived from the input id.
    static func checkInvariants(_ decision: BookingDecision) {
        let ids =
            decision.events.map(\.eventID) + decision.partnerCommands.map(\.eventID) + decision.audit.map(\.auditID)
        #expect(Set(ids).count == ids.count, "duplicate output ids: \(ids)")
        for leg in decision.booking.legs {
            for step in leg.history {
                if let from = step.from {
                    #expect(LegTransitionRules.isAllowed(from: from, to: step.to), "\(from) -> \(step.to)")
                }
            }
        }
        let encoder = JSONEncoder()
        let published = (try? encoder.encode(decision.events)) ?? Data()
        let audited = (try? encoder.encode(decision.audit)) ?? Data()
        for data in [published, audited] {
            let text = String(decoding: data, as: UTF8.self)
            let secrets =
                [Fixture.contactToken, "Elm St", "Fruit St", "Worcester MA", "Springfield MA"]
                + SpainFixture.addressFragments
            for secret in secrets {
                #expect(!text.contains(secret), "personal data \(secret) in published output")
            }
        }
    }
}

extension BookingDecision {
    var offers: [(partnerID: String, offer: RideOffer)] {
        partnerCommands.compactMap { command in
            if case .offer(let offer) = command.body { return (command.partnerID, offer) }
            return nil
        }
    }

    var cancellations: [(partnerID: String, cancellation: RideCancellation)] {
        partnerCommands.compactMap { command in
            if case .cancellation(let cancellation) = command.body { return (command.partnerID, cancellation) }
            return nil
        }
    }

    var attention: [RideNeedsAttention] {
        events.compactMap { if case .rideNeedsAttention(let body) = $0.body { body } else { nil } }
    }

    var cancelled: [RideCancelled] {
        events.compactMap { if case .rideCancelled(let body) = $0.body { body } else { nil } }
    }

    var statusChanges: [RideStatusChanged] {
        events.compactMap { if case .rideStatusChanged(let body) = $0.body { body } else { nil } }
    }

    var offered: [RideOffered] {
        events.compactMap { if case .rideOffered(let body) = $0.body { body } else { nil } }
    }

    var confirmed: [RideConfirmed] {
        events.compactMap { if case .rideConfirmed(let body) = $0.body { body } else { nil } }
    }

    var requested: [BookingSnapshot] {
        events.compactMap { if case .rideRequested(let body) = $0.body { body } else { nil } }
    }

    var timersSet: [OfferTimer] { timers.compactMap { if case .set(let timer) = $0 { timer } else { nil } } }

    var timersCancelled: [String] {
        timers.compactMap { if case .cancel(let id) = $0 { id } else { nil } }
    }

    var isNoOp: Bool {
        ignoredReason != nil && events.isEmpty && partnerCommands.isEmpty && timers.isEmpty && audit.isEmpty
    }
}

/// Leg ids of the first schedule.
enum Leg {
    static let out = RideLeg.id(direction: .outbound, revision: 1)
    static let back = RideLeg.id(direction: .return, revision: 1)
}
