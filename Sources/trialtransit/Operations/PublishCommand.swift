import ArgumentParser
import Foundation
import TransitCommandLine
import TransitKafka
import TransitRPC
import TransitWire

/// `trialtransit publish`: encodes proto3 JSON to protobuf and publishes it.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Encode proto3 JSON to protobuf and publish it (to try the wire contract by hand).",
        discussion: """
            --type names the message in the JSON. A body of the topic's envelope \
            (e.g. trialtransit.v1.PatientReferred on enrollment.events.v1) is wrapped into the envelope with a \
            new event_id, occurred_at now, source trialtransit-cli and patient_ref = --key. An envelope \
            (or any other type) is published as given, with a new event_id when it has none. The key is \
            --key, or else the field the contract keys the topic by (patientRef, trialId, bookingId). The \
            input is one JSON object, or one object per line; each becomes one record. Prints one line per \
            record: event_id, partition and offset.

            Examples:
              echo '{"referralId":"ref-1","conditionCode":"C34.1","ageYears":64}' \\
                | trialtransit publish --topic enrollment.events.v1 \\
                  --type trialtransit.v1.PatientReferred --key p-7f3a9c --json -
              trialtransit publish --topic trial.catalog.v1 \\
                --type trialtransit.v1.TrialDefinition --json trial.json
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(help: "Topic to publish to.")
    var topic: String

    @Option(help: "Full proto name of the message in the JSON, e.g. trialtransit.v1.PatientReferred.")
    var type: String

    @Option(help: ArgumentHelp("File with the JSON, or - for standard input.", valueName: "file|-"))
    var json: String

    @Option(help: "Record key (patient_ref for envelopes). Default: the field the contract keys the topic by.")
    var key: String?

    @Option(name: .customLong("header"), parsing: .singleValue, help: ArgumentHelp("Extra header (repeatable).", valueName: "name=value"))
    var headers: [String] = []

    @Option(help: "source of wrapped bodies.")
    var source = "trialtransit-cli"

    func run() async throws {
        try await OperationError.reporting { try await publish() }
    }

    private func publish() async throws {
        guard WireRegistry.messageType(named: type) != nil else {
            throw OperationError("unknown message type '\(type)' (full proto name, e.g. trialtransit.v1.PatientReferred)")
        }
        let extraHeaders = try headers.map { text -> KafkaHeader in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw OperationError("--header '\(text)' is not NAME=VALUE")
            }
            return KafkaHeader(name: String(text[..<equals]), string: String(text[text.index(after: equals)...]))
        }
        let documents = try PublishPayload.documents(in: try readInput())
        let catalog = TopicCatalog(topics: options.topics)
        let payload = PublishPayload(inputType: type, topicType: catalog.messageType(forTopic: topic), source: source)
        if let topicType = payload.topicType, payload.wrapMember == nil, type != topicType {
            throw OperationError("topic '\(topic)' carries \(topicType); \(type) is neither that nor one of its bodies")
        }
        let keyPaths = catalog.entry(forTopic: topic)?.keyPaths ?? ["patientRef"]
        // Build every record before connecting: bad input publishes nothing.
        var records: [(message: KafkaProducerMessage, eventID: String?)] = []
        for document in documents {
            let built = try payload.build(json: document, key: key)
            let recordKey = try resolveKey(json: built.json, paths: keyPaths)
            var recordHeaders = extraHeaders
            if !recordHeaders.contains(where: { $0.name == TransitHeaders.traceparent }) {
                recordHeaders.append(KafkaHeader(name: TransitHeaders.traceparent, string: Self.newTraceparent()))
            }
            records.append(
                (KafkaProducerMessage(topic: topic, key: recordKey.map { Array($0.utf8) }, value: built.message.wireBytes(), headers: recordHeaders),
                    built.eventID))
        }

        let session = try await options.connect(clientID: "trialtransit-publish")
        _ = try session.requireTopic(topic)
        let producer = try session.producer()
        for (message, eventID) in records {
            let report = try await producer.send(message)
            let id = eventID.map { " event_id=\($0)" } ?? ""
            print("published \(payload.recordType)\(id) to \(report.topic) partition \(report.partition) offset \(report.offset)")
        }
        try await producer.close()
    }

    /// `--key`, or the first key path that is set in the record; must agree with patientRef.
    private func resolveKey(json: String, paths: [String]) throws -> String? {
        let document = JSONValue.parse(json)
        if let key {
            if let ref = document?["patientRef"]?.comparableText, !ref.isEmpty, ref != key {
                throw OperationError("--key differs from the message's patientRef: the contract keys envelopes by patient_ref")
            }
            return key
        }
        for path in paths {
            var node = document
            for segment in path.split(separator: ".") { node = node?[String(segment)] }
            if let text = node?.comparableText, !text.isEmpty { return text }
        }
        guard paths.isEmpty else {
            throw OperationError("no key: pass --key, or set \(paths.joined(separator: " or ")) in the message")
        }
        return nil
    }

    private func readInput() throws -> String {
        let data: Data?
        if json == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: json)
        }
        guard let data else { throw OperationError("cannot read '\(json)'") }
        return String(decoding: data, as: UTF8.self)
    }

    /// A new W3C `traceparent` (sampled).
    static func newTraceparent() -> String {
        let high = String(UInt64.random(in: 1...UInt64.max), radix: 16).leftPadded(to: 16)
        let low = String(UInt64.random(in: 0...UInt64.max), radix: 16).leftPadded(to: 16)
        return "00-\(high)\(low)-\(TraceContext.newSpanID())-01"
    }
}
