import Foundation
import TransitDomain
import TransitKafka
import TransitRPC
import TransitWire

import struct TransportBooking.PartnerDirectory
import TransportWorker
import TransitTime

/// Inputs of `bench transport`: one partner around Boston that takes everything, and per booking a
/// travel request plus trial access's `TravelNeeded` for one visit of its own patient.
enum TransportBenchmarkInputs {
    static let partnerID = "bench-taxi"

    /// One partner: a large area, every mobility, no lead time, an hour to answer (no offer times out).
    static func partners() throws -> PartnerDirectory {
        let json = """
            {"version": 1, "partners": [{"id": "\(partnerID)", "priority": 1,
             "service_area": {"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 200},
             "capabilities": {"mobility": ["ambulatory", "wheelchair", "stretcher"], "companion_seats": 3},
             "minimum_lead_time_minutes": 0, "free_cancellation_minutes": 60, "response_timeout_seconds": 3600}]}
            """
        return try PartnerDirectory.load(protoJSON: Array(json.utf8))
    }

    /// The two records that book visit `v-1` of patient `p-<index>`: `TravelAssistanceRequested`
    /// (travel requests topic) and `TravelNeeded` (trial-access events topic), both keyed by patient.
    static func records(index: Int, run: String, appointmentAt: Int64, topics: TransitTopics) -> [KafkaProducerMessage] {
        let patient = "p-\(index)"
        let now = SystemWallClock().nowMilliseconds()
        var request = TravelAssistanceRequested()
        request.requestId = "req-\(index)"
        request.trialId = "NCT-BENCH-1"
        request.visitId = "v-1"
        request.pickup = Location(
            point: GeoPoint(latitude: 42.3318, longitude: -71.1212), addressText: "Harvard Street 12, Brookline")
        request.language = "en"
        request.contactToken = "ct-bench-\(index)"
        let travel = TravelEvent(
            eventId: "bench-\(run)-travel-\(index)", occurredAt: now, source: "bench", patientRef: patient,
            body: .travelAssistanceRequested(request))

        var visit = Visit()
        visit.visitId = "v-1"
        visit.trialId = "NCT-BENCH-1"
        visit.siteId = "bench-site"
        visit.visitCode = "C1D1"
        visit.scheduledAt = appointmentAt
        visit.durationMinutes = 90
        var need = TravelNeeded()
        need.visit = visit
        need.destination = Location(
            point: GeoPoint(latitude: 42.3626, longitude: -71.0687), addressText: "Fruit Street 55")
        need.mobility = .ambulatory
        need.language = "en"
        let access = TrialAccessEvent(
            eventId: "bench-\(run)-need-\(index)", occurredAt: now, source: "bench", patientRef: patient,
            body: .travelNeeded(need))
        return [
            KafkaProducerMessage(topic: topics.travelRequests, key: patient, value: travel.wireBytes()),
            KafkaProducerMessage(topic: topics.trialAccessEvents, key: patient, value: access.wireBytes()),
        ]
    }

    /// An appointment three days ahead, on the minute.
    static func appointment() -> Int64 {
        SystemWallClock().nowMilliseconds() / Millis.minute * Millis.minute + Millis.days(3)
    }
}
