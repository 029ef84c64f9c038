import TransitKafka
import TransitRPC
import TransitTestSupport
import TransitWire
import TransportWorker
import Testing

/// Every status `TransportBooking`'s proto comments promise, method by method, against a real
/// worker (real broker, real SQLite store): each documented code is produced by a request that
/// should get it.
@Suite("Transport worker: TransportBooking status codes", .timeLimit(.minutes(3)))
struct StatusCodeTests {
    @Test func everyMethodAnswersTheCodesItsProtoCommentPromises() async throws {
        try await TransportHarness.with("status", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let client = try harness.client()
            let patient = TransportTestSupport.unique("p")
            func book(_ request: BookRideRequest, key: String? = nil) async throws -> RPCStatusCode {
                try await rpcStatus {
                    try await client.call(
                        TransportBookingService.bookRide, request, key: request.patientRef, deadline: .seconds(60),
                        idempotencyKey: key)
                }
            }
            func cancel(_ request: CancelRideRequest) async throws -> RPCStatusCode {
                try await rpcStatus {
                    try await client.call(
                        TransportBookingService.cancelRide, request, key: request.patientRef, deadline: .seconds(60))
                }
            }
            func get(_ request: GetBookingRequest) async throws -> RPCStatusCode {
                try await rpcStatus {
                    try await client.call(
                        TransportBookingService.getBooking, request, key: request.patientRef, deadline: .seconds(60))
                }
            }
            func bookRide(_ visitID: String, change: (inout BookRideRequest) -> Void = { _ in }) -> BookRideRequest {
                var request = TransportTestSupport.bookRideRequest(patient: patient, visitID: visitID)
                change(&request)
                return request
            }

            // Visits as trial access reports them: v-released has TravelNeeded (TRANSPORT consent held,
            // travel asked for); v-planned only VisitPlanned; v-withdrawn lost its TravelNeeded to a
            // TRANSPORT consent withdrawal; v-never was never planned.
            let at = TransportTestSupport.appointment()
            try await harness.publish(TransportTestSupport.travelNeeded(patient: patient, visitID: "v-released", at: at))
            try await harness.publish(TransportTestSupport.visitPlanned(patient: patient, visitID: "v-planned", at: at))
            try await harness.publish(TransportTestSupport.travelNeeded(patient: patient, visitID: "v-withdrawn", at: at))
            try await harness.publish(
                TransportTestSupport.travelNoLongerNeeded(
                    patient: patient, visitID: "v-withdrawn", reason: .consentWithdrawn))
            try await harness.settle(collector)

            // BookRide: INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS, OK.
            #expect(try await book(bookRide("v-released") { $0.patientRef = "" }) == .invalidArgument)
            #expect(try await book(bookRide("")) == .invalidArgument)
            #expect(try await book(bookRide("v-released") { $0.pickup = nil }) == .invalidArgument)
            #expect(
                try await book(
                    bookRide("v-released") { $0.pickupWindow = TimeWindow(startAt: 2_000, endAt: 1_000) })
                    == .invalidArgument)
            #expect(try await book(bookRide("v-never")) == .notFound)
            #expect(try await book(bookRide("v-released") { $0.trialId = "NCT09999999" }) == .notFound)
            #expect(try await book(bookRide("v-planned")) == .failedPrecondition)
            #expect(try await book(bookRide("v-withdrawn")) == .failedPrecondition)
            #expect(try await book(bookRide("v-released"), key: "book-1") == .ok)
            #expect(try await book(bookRide("v-released") { $0.returnTrip = true }) == .alreadyExists)
            // The idempotency key bound to another request (docs/CONTRACT.md §4).
            #expect(try await book(bookRide("v-released") { $0.companions = 2 }, key: "book-1") == .invalidArgument)
            // Nothing of the refused calls was booked.
            #expect(try await get(GetBookingRequest(patientRef: patient, visitId: "v-planned")) == .notFound)
            #expect(try await get(GetBookingRequest(patientRef: patient, visitId: "v-withdrawn")) == .notFound)

            // GetBooking: INVALID_ARGUMENT, NOT_FOUND, OK.
            let bookingID = TransportTestSupport.bookingID(patient: patient, visit: "v-released")
            #expect(try await get(GetBookingRequest(patientRef: "", bookingId: bookingID)) == .invalidArgument)
            #expect(try await get(GetBookingRequest(patientRef: patient)) == .invalidArgument)
            #expect(try await get(GetBookingRequest(patientRef: patient, bookingId: "bk-unknown")) == .notFound)
            #expect(try await get(GetBookingRequest(patientRef: "someone-else", bookingId: bookingID)) == .notFound)
            #expect(try await get(GetBookingRequest(patientRef: patient, bookingId: bookingID)) == .ok)
            #expect(try await get(GetBookingRequest(patientRef: patient, visitId: "v-released")) == .ok)

            // CancelRide: INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION (a COMPLETED leg), OK.
            func cancelRide(_ bookingID: String, leg: String = "", patient: String = patient) -> CancelRideRequest {
                var request = CancelRideRequest()
                request.patientRef = patient
                request.bookingId = bookingID
                request.legId = leg
                return request
            }
            #expect(try await cancel(cancelRide(bookingID, patient: "")) == .invalidArgument)
            #expect(try await cancel(cancelRide("")) == .invalidArgument)
            #expect(try await cancel(cancelRide("bk-unknown")) == .notFound)
            #expect(try await cancel(cancelRide(bookingID, patient: "someone-else")) == .notFound)
            #expect(try await cancel(cancelRide(bookingID, leg: "return-9")) == .notFound)
            try await harness.publish(
                [TransportTestSupport.update(partner: "metro-taxi", booking: bookingID, status: .completed, sequence: 1)],
                on: "metro-taxi")
            try await harness.waitForEvents(collector) { $0.contains { $0.statusChange?.status == .completed } }
            #expect(try await cancel(cancelRide(bookingID, leg: "outbound-1")) == .failedPrecondition)

            try await harness.releaseForTransport(patient: patient, visitID: "v-other", collector)
            #expect(try await book(bookRide("v-other")) == .ok)
            let otherID = TransportTestSupport.bookingID(patient: patient, visit: "v-other")
            #expect(try await cancel(cancelRide(otherID, leg: "outbound-1")) == .ok)
        }
    }
}
