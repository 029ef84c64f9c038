import Foundation
import Logging
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import struct TransportBooking.PartnerDirectory
import TransportWorker
import TransitTime
import TransitTestSupport

/// Broker, topics, partner files, stores and workers for the transport worker's integration tests.
enum TransportTestSupport {
    static var brokers: String { get throws { try TestEnvironment.brokers } }
    static var client: KafkaClientConfiguration { get throws { try TestEnvironment.client } }

    static let logger: Logger = {
        var logger = Logger(label: "transport-test")
        logger.logLevel = .error
        return logger
    }()

    static func unique(_ prefix: String) -> String { uniqueName(prefix) }

    /// The tests' booking-id keys: one key generated for this test process.
    static let bookingIDs: BookingIDKeyring = {
        do { return try BookingIDKeyring(current: .generate(id: "test")) } catch { fatalError("\(error)") }
    }()

    /// The booking id of a patient's visit under the tests' current key.
    static func bookingID(patient: String, visit: String) -> String {
        bookingIDs.derive(patientRef: patient, visitID: visit)
    }

    /// One partner of a test partner file (defaults: around Boston, ambulatory, no lead time).
    static func partnerJSON(
        id: String, priority: Int = 1, latitude: Double = 42.36, longitude: Double = -71.06, radiusKm: Double = 60,
        mobility: [String] = ["ambulatory"], seats: Int = 3, leadMinutes: Int = 0, freeCancellationMinutes: Int = 60,
        responseTimeoutSeconds: Int = 120
    ) -> String {
        """
        {"id": "\(id)", "priority": \(priority),
         "service_area": {"centre": {"latitude": \(latitude), "longitude": \(longitude)}, "radius_km": \(radiusKm)},
         "capabilities": {"mobility": [\(mobility.map { "\"\($0)\"" }.joined(separator: ","))], "companion_seats": \(seats)},
         "minimum_lead_time_minutes": \(leadMinutes), "free_cancellation_minutes": \(freeCancellationMinutes),
         "response_timeout_seconds": \(responseTimeoutSeconds)}
        """
    }

    /// A partner directory from partner JSON objects.
    static func directory(_ partners: [String]) throws -> PartnerDirectory {
        let json = "{\"version\": 1, \"partners\": [\(partners.joined(separator: ","))]}"
        return try PartnerDirectory.load(protoJSON: Array(json.utf8))
    }

    // MARK: Places and times

    static let pickup = Location(point: GeoPoint(latitude: 42.3318, longitude: -71.1212), addressText: "Harvard Street 12, Brookline")
    static let site = Location(point: GeoPoint(latitude: 42.3626, longitude: -71.0687), addressText: "Fruit Street 55, entrance B")
    static let contactToken = "ct-7f3a9c0d"

    /// An appointment three days ahead, on the minute.
    static func appointment(daysAhead: Int64 = 3) -> Int64 {
        (SystemWallClock().nowMilliseconds() / 60_000 + daysAhead * 24 * 60) * 60_000
    }

    // MARK: Inputs

    static func travelRequested(
        patient: String, eventID: String = unique("ev"), requestID: String = "req-1", trialID: String = "NCT01234567",
        visitID: String, returnTrip: Bool = false, mobility: Mobility = .unspecified, companions: UInt32 = 0,
        from home: Location = pickup
    ) -> TravelEvent {
        var body = TravelAssistanceRequested()
        body.requestId = requestID
        body.trialId = trialID
        body.visitId = visitID
        body.pickup = home
        body.returnTrip = returnTrip
        body.mobility = mobility
        body.companions = companions
        body.language = "en"
        body.contactToken = contactToken
        return TravelEvent(eventId: eventID, occurredAt: SystemWallClock().nowMilliseconds(), source: "test", patientRef: patient,
            body: .travelAssistanceRequested(body))
    }

    static func erasureRequested(patient: String, eventID: String = unique("ev")) -> TravelEvent {
        TravelEvent(eventId: eventID, occurredAt: SystemWallClock().nowMilliseconds(), source: "test", patientRef: patient,
            body: .patientDataErasureRequested(PatientDataErasureRequested(erasureRequestId: "er-1")))
    }

    static func visit(_ visitID: String, at scheduledAt: Int64, trialID: String = "NCT01234567") -> Visit {
        var visit = Visit()
        visit.visitId = visitID
        visit.trialId = trialID
        visit.siteId = "site-mgh"
        visit.visitCode = "C1D1"
        visit.scheduledAt = scheduledAt
        visit.durationMinutes = 90
        return visit
    }

    static func travelNeeded(
        patient: String, eventID: String = unique("ta"), visitID: String, at scheduledAt: Int64,
        trialID: String = "NCT01234567", urgent: Bool = false
    ) -> TrialAccessEvent {
        var body = TravelNeeded()
        body.visit = visit(visitID, at: scheduledAt, trialID: trialID)
        body.destination = site
        body.mobility = .ambulatory
        body.language = "en"
        body.urgent = urgent
        return TrialAccessEvent(eventId: eventID, occurredAt: SystemWallClock().nowMilliseconds(), source: "test",
            patientRef: patient, body: .travelNeeded(body))
    }

    /// `VisitPlanned` for a new visit (no `TravelNeeded`: not released for transport).
    static func visitPlanned(
        patient: String, eventID: String = unique("ta"), visitID: String, at scheduledAt: Int64,
        trialID: String = "NCT01234567"
    ) -> TrialAccessEvent {
        var body = VisitPlanned()
        body.visit = visit(visitID, at: scheduledAt, trialID: trialID)
        return TrialAccessEvent(eventId: eventID, occurredAt: SystemWallClock().nowMilliseconds(), source: "test",
            patientRef: patient, body: .visitPlanned(body))
    }

    static func travelNoLongerNeeded(
        patient: String, eventID: String = unique("ta"), visitID: String,
        reason: TravelNoLongerNeededReason = .visitCancelled
    ) -> TrialAccessEvent {
        var body = TravelNoLongerNeeded()
        body.visitId = visitID
        body.trialId = "NCT01234567"
        body.reason = reason
        return TrialAccessEvent(eventId: eventID, occurredAt: SystemWallClock().nowMilliseconds(), source: "test",
            patientRef: patient, body: .travelNoLongerNeeded(body))
    }

    static func update(
        partner: String, booking: String, leg: String = "outbound-1", status: RideStatus, sequence: UInt64,
        eventID: String? = nil
    ) -> PartnerRideUpdate {
        var update = PartnerRideUpdate()
        update.eventId = eventID ?? unique("up")
        update.occurredAt = SystemWallClock().nowMilliseconds()
        update.partnerId = partner
        update.bookingId = booking
        update.legId = leg
        update.partnerRideId = "ride-1"
        update.status = status
        update.sequence = sequence
        return update
    }

    /// Publishes values (with their keys) and waits for the acknowledgements.
    static func publish(_ records: [(topic: String, key: String, value: [UInt8])]) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        try await producer.send(records.map { KafkaProducerMessage(topic: $0.topic, key: $0.key, value: $0.value) })
        try await producer.close()
    }

    static func sqlitePath() -> String { temporarySQLitePath("transport-test") }

    static func removeSQLite(_ path: String) { removeSQLiteFiles(path) }
}

/// The transport tests' topic reader is the shared one.
typealias TopicCollector = TopicReader

extension TransportTestSupport {
    /// A `BookRide` request with an explicit pickup window (no `TravelNeeded` needed).
    static func bookRideRequest(
        patient: String, visitID: String, mobility: Mobility = .ambulatory, returnTrip: Bool = false,
        pickup: Location = pickup, preferredPartner: String = ""
    ) -> BookRideRequest {
        var request = BookRideRequest()
        request.patientRef = patient
        request.trialId = "NCT01234567"
        request.visitId = visitID
        request.pickup = pickup
        request.dropOff = site
        let start = appointment() - 2 * 3_600_000
        request.pickupWindow = TimeWindow(startAt: start, endAt: start + 15 * 60_000)
        request.returnTrip = returnTrip
        request.mobility = mobility
        request.language = "en"
        request.contactToken = contactToken
        request.preferredPartnerId = preferredPartner
        return request
    }
}
