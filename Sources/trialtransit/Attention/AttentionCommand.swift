import ArgumentParser
import Foundation
import TransitCommandLine
import TransitKafka
import TransitRPC
import TransitWire

/// `trialtransit attention …`: the coordinators' worklist.
struct AttentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "List, show and resolve rides needing attention and enrollments in NEEDS_REVIEW.",
        discussion: """
            Items are read from transport.booking.events.v1, trial.access.events.v1 and trialtransit.audit.v1 \
            (docs/OPERATIONS.md, "Coordinator worklist"). A ride is named BOOKING-ID/LEG-ID, a review \
            TRIAL-ID/PATIENT-REF.

            Examples:
              trialtransit attention list
              trialtransit attention show bk-k1-0f3c.../outbound-1
              trialtransit attention resolve bk-k1-0f3c.../outbound-1 --rebook-with metro-taxi
              trialtransit attention resolve bk-k1-0f3c.../outbound-1 --cancel
              trialtransit attention resolve NCT-1/p-7Q2XK9 --handled
            """,
        subcommands: [AttentionListCommand.self, AttentionShowCommand.self, AttentionResolveCommand.self]
    )
}

/// Reads the worklist now.
enum AttentionReader {
    static func worklist(session: OperationsSession) async throws -> AttentionWorklist {
        var worklist = AttentionWorklist()
        try await readWhole(session.topics.bookingEvents, session: session) { message in
            if let event = try? BookingEvent(wireBytes: message.value) { worklist.apply(event) }
        }
        try await readWhole(session.topics.trialAccessEvents, session: session) { message in
            if let event = try? TrialAccessEvent(wireBytes: message.value) { worklist.apply(event) }
        }
        try await readWhole(session.topics.audit, session: session) { message in
            if let record = try? AuditRecord(wireBytes: message.value) { worklist.apply(record) }
        }
        return worklist
    }

    /// The open item `id`, or a one-line error.
    static func item(_ id: String, session: OperationsSession) async throws -> AttentionItem {
        guard let item = try await worklist(session: session).items.first(where: { $0.id == id }) else {
            throw OperationError("no open attention item \(id) (see trialtransit attention list)")
        }
        return item
    }

    /// Every record of `topic` now, in partition and offset order; a missing topic has none.
    private static func readWhole(
        _ topic: String, session: OperationsSession, _ body: (KafkaConsumerMessage) async throws -> Void
    ) async throws {
        guard let metadata = session.existing[topic] else { return }
        var starts: [Int32: Int64] = [:]
        for partition in metadata.partitions { starts[partition.id] = 0 }
        let ranges = try await TopicWindowReader.ranges(session: session, topic: topic, starts: starts, endTime: nil)
        try await TopicWindowReader(session: session, topic: topic, ranges: ranges).read(body)
    }
}

/// `trialtransit attention list`.
struct AttentionListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List open items, oldest first: rides needing attention and enrollments in NEEDS_REVIEW.",
        discussion: """
            One line per item: kind, id, reason, machine code, visit and when it was raised. Patient refs are \
            shown by `show` only.
            """)

    @OptionGroup var options: OperationsOptions

    @Flag(help: "Print JSON lines instead of the table.")
    var json = false

    func run() async throws {
        try await OperationError.reporting {
            let session = try await options.connect(clientID: "trialtransit-attention")
            let items = try await AttentionReader.worklist(session: session).items
            if json {
                for item in items { print(AttentionFormat.json(item, withPatient: false)) }
                return
            }
            print(AttentionFormat.header)
            for item in items { print(AttentionFormat.row(item)) }
            print("\(items.count) open item\(items.count == 1 ? "" : "s")")
        }
    }
}

/// `trialtransit attention show`.
struct AttentionShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one open item in full, its pseudonymous patient ref included.")

    @OptionGroup var options: OperationsOptions

    @Argument(help: ArgumentHelp("The item, as `list` names it.", valueName: "id"))
    var id: String

    func run() async throws {
        try await OperationError.reporting {
            let session = try await options.connect(clientID: "trialtransit-attention")
            print(AttentionFormat.json(try await AttentionReader.item(id, session: session), withPatient: true))
        }
    }
}

/// `trialtransit attention resolve`.
struct AttentionResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve an item through the contract: rebook with a named partner, cancel, or mark handled.",
        discussion: """
            --rebook-with PARTNER calls TransportBooking/RebookRide (the leg is offered to that partner); \
            --cancel calls TransportBooking/CancelRide for the leg (cancelled_by COORDINATOR); --handled \
            only records that a person took care of it. Each writes an AuditRecord (action MANUAL, actor \
            --actor or ops:$USER) with the item id and the resolution.
            """)

    @OptionGroup var options: OperationsOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("The item, as `list` names it.", valueName: "id"))
    var id: String

    @Option(help: "Offer the ride leg to this partner (an id of the partner file).")
    var rebookWith: String?

    @Option(
        help: ArgumentHelp(
            "With --rebook-with: a new pickup window for the leg, START/END (ISO 8601 or unix ms), e.g. the next day's return after an overnight stay.",
            valueName: "start/end"))
    var pickupWindow: String?

    @Flag(help: "Cancel the ride leg.")
    var cancel = false

    @Flag(help: "Mark the item handled (no change to the ride or the enrollment).")
    var handled = false

    @Option(help: "Seconds to wait for the transport worker's answer.")
    var deadline = 30

    func validate() throws {
        let chosen = [rebookWith != nil, cancel, handled].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give exactly one of --rebook-with, --cancel, --handled") }
        if let rebookWith, rebookWith.isEmpty { throw ValidationError("--rebook-with needs a partner id") }
        if pickupWindow != nil, rebookWith == nil { throw ValidationError("--pickup-window goes with --rebook-with") }
    }

    /// `--pickup-window` as the request's window; nil when not given.
    private func requestedPickupWindow() throws -> TransitWire.TimeWindow? {
        guard let pickupWindow else { return nil }
        let bounds = pickupWindow.split(separator: "/", omittingEmptySubsequences: false)
        guard bounds.count == 2 else {
            throw OperationError("--pickup-window: expected START/END, e.g. 2026-01-03T09:00:00Z/2026-01-03T09:30:00Z")
        }
        var window = TransitWire.TimeWindow()
        window.startAt = try TimeArgument.milliseconds(String(bounds[0]), option: "--pickup-window")
        window.endAt = try TimeArgument.milliseconds(String(bounds[1]), option: "--pickup-window")
        return window
    }

    func run() async throws {
        try await OperationError.reporting {
            let session = try await options.connect(clientID: "trialtransit-attention")
            let item = try await AttentionReader.item(id, session: session)
            var details = [AttentionAudit.itemKey: item.id, "kind": item.kind.rawValue]
            if !item.trialID.isEmpty { details["trial-id"] = item.trialID }
            let resolution: String
            if handled {
                resolution = AttentionAudit.handled
            } else {
                guard item.kind == .ride else {
                    throw OperationError("\(item.id) is an enrollment review: only --handled applies")
                }
                details["booking-id"] = item.bookingID
                details["leg-id"] = item.legID
                if let partner = rebookWith {
                    var request = RebookRideRequest()
                    request.patientRef = item.patientRef
                    request.bookingId = item.bookingID
                    request.legId = item.legID
                    request.partnerId = partner
                    if let window = try requestedPickupWindow() {
                        request.pickupWindow = window
                        details["pickup-window"] = "\(window.startAt)-\(window.endAt)"
                    }
                    _ = try await call(TransportBookingService.rebookRide, request, key: item.patientRef, session: session)
                    details["partner-id"] = partner
                    resolution = AttentionAudit.rebooked
                } else {
                    var request = CancelRideRequest()
                    request.patientRef = item.patientRef
                    request.bookingId = item.bookingID
                    request.legId = item.legID
                    request.cancelledBy = .coordinator
                    request.reasonCode = "COORDINATOR_RESOLVED"
                    _ = try await call(TransportBookingService.cancelRide, request, key: item.patientRef, session: session)
                    resolution = AttentionAudit.cancelled
                }
            }
            details[AttentionAudit.resolutionKey] = resolution
            let producer = try session.producer()
            let subject = item.kind == .ride ? item.bookingID : item.patientRef
            try await AuditTrail.write(
                action: .manual, actor: actor.resolved, subject: subject, details: details,
                counts: TransferCounts(), producer: producer, topics: session.topics)
            try await producer.close()
            print("\(item.id): \(resolution)" + (rebookWith.map { " (offered to \($0))" } ?? ""))
        }
    }

    /// One call to the transport worker with a fresh idempotency key; its status as a one-line error.
    private func call<Request: WireMessage, Response: WireMessage>(
        _ method: WireMethod<Request, Response>, _ request: Request, key: String, session: OperationsSession
    ) async throws -> Response {
        let client = try RPCClient(
            client: session.client, clientID: "trialtransit-attention", topics: session.topics,
            logger: session.logger)
        let reader = Task { try await client.run() }
        defer { reader.cancel() }
        do {
            let response = try await client.call(
                method, request, key: key, deadline: .seconds(max(1, deadline)), idempotencyKey: Identifiers.uuid())
            try? await client.close()
            return response
        } catch let error as RPCError {
            try? await client.close()
            throw OperationError("\(method.path) refused: \(error)")
        }
    }
}

/// Table and JSON lines of attention items.
enum AttentionFormat {
    static let header = "KIND    ID                                                       REASON                  CODE                      VISIT        RAISED"

    static func row(_ item: AttentionItem) -> String {
        [
            pad(item.kind.rawValue, 7), pad(item.id, 56), pad(item.reason, 23),
            pad(item.reasonCode.isEmpty ? "-" : item.reasonCode, 25), pad(item.visitID.isEmpty ? "-" : item.visitID, 12),
            iso(item.raisedAt),
        ].joined(separator: " ")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func json(_ item: AttentionItem, withPatient: Bool) -> String {
        var object: [String: Any] = [
            "kind": item.kind.rawValue, "id": item.id, "trial_id": item.trialID, "visit_id": item.visitID,
            "booking_id": item.bookingID, "leg_id": item.legID, "reason": item.reason, "reason_code": item.reasonCode,
            "raised_at": iso(item.raisedAt), "source_event_id": item.sourceEventID,
        ]
        if withPatient { object["patient_ref"] = item.patientRef }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func iso(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
