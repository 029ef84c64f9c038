import TransitWire

/// Turns `publish` input (proto3 JSON of a body or of a whole record) into the record to publish.
///
/// A body type of the topic's envelope (e.g. `PatientReferred` for `enrollment.events.v1`) is
/// wrapped into the envelope with a new `event_id`, `occurred_at` now, `source` and `patient_ref`
/// = the key. Any other type is published as given, with a new `event_id` when the type has one and
/// the input leaves it empty. All of it is done on JSON text, so every type of the protos works.
struct PublishPayload {
    /// Full proto name of what the input holds.
    let inputType: String
    /// Full proto name of the contract's payload type of the topic, if known.
    let topicType: String?
    /// `source` for wrapped bodies.
    let source: String

    /// The record type written to the topic.
    var recordType: String { wrapMember == nil ? inputType : topicType ?? inputType }

    /// The envelope member the input is wrapped into, when the input type is a body of the topic's envelope.
    var wrapMember: MessageSchema.Field? {
        guard let topicType, topicType != inputType, let envelope = SchemaRegistry.schema(for: topicType) else { return nil }
        return envelope.oneofMember(ofType: inputType)
    }

    /// The record's value, as a message and its proto3 JSON, and its event id (if the type has one).
    func build(json text: String, key: String?) throws -> (message: any WireMessage, json: String, eventID: String?) {
        guard let inputMessageType = WireRegistry.messageType(named: inputType) else {
            throw OperationError("unknown message type '\(inputType)'")
        }
        let input: any WireMessage
        do {
            input = try inputMessageType.init(jsonUTF8: Array(text.utf8))
        } catch {
            throw OperationError("input is not a valid \(inputType) in proto3 JSON: \(error.message)")
        }
        var recordJSON = input.jsonString()
        var eventID: String?
        if let member = wrapMember, let topicType {
            let envelope = SchemaRegistry.schema(for: topicType)
            var members: [(String, String)] = []
            let id = Identifiers.uuid()
            if envelope?.field(named: "eventId") != nil {
                members.append(("eventId", JSONText.quoted(id)))
                eventID = id
            }
            if envelope?.field(named: "occurredAt") != nil {
                members.append(("occurredAt", JSONText.quoted(String(Identifiers.nowMilliseconds()))))
            }
            if envelope?.field(named: "source") != nil { members.append(("source", JSONText.quoted(source))) }
            if envelope?.field(named: "patientRef") != nil {
                guard let key, !key.isEmpty else {
                    throw OperationError("--key is required to wrap a \(inputType) into a \(topicType): it is the patient_ref")
                }
                members.append(("patientRef", JSONText.quoted(key)))
            }
            members.append((member.jsonName, recordJSON))
            recordJSON = JSONText.object(members)
        } else if SchemaRegistry.schema(for: inputType)?.field(named: "eventId") != nil {
            let document = JSONValue.parse(recordJSON)
            if let existing = document?["eventId"]?.comparableText {
                eventID = existing
            } else {
                let id = Identifiers.uuid()
                eventID = id
                let rest = recordJSON.dropFirst()  // after "{"
                recordJSON = "{\"eventId\":" + JSONText.quoted(id) + (rest == "}" ? "" : ",") + rest
            }
        }
        guard let recordMessageType = WireRegistry.messageType(named: recordType) else {
            throw OperationError("unknown message type '\(recordType)'")
        }
        do {
            let record = try recordMessageType.init(jsonUTF8: Array(recordJSON.utf8))
            return (record, record.jsonString(), eventID)
        } catch {
            throw OperationError("cannot build a \(recordType): \(error.message)")
        }
    }

    /// Splits input text into JSON documents: the whole text when it is one JSON value, otherwise
    /// one document per non-empty line (JSON Lines).
    static func documents(in text: String) throws -> [String] {
        if JSONValue.parse(text) != nil { return [text] }
        var documents: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: " ")
            if trimmed.isEmpty { continue }
            guard JSONValue.parse(trimmed) != nil else {
                throw OperationError("input is not JSON: line \(number + 1) does not parse (give one JSON object, or one per line)")
            }
            documents.append(trimmed)
        }
        guard !documents.isEmpty else { throw OperationError("input is empty: expected a JSON object") }
        return documents
    }
}
