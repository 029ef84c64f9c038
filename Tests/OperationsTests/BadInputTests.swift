import Foundation
import TransitKafka
import TransitRPC
import TransitWire
import Testing

extension OperationsTests {
    /// Each bad input is one line on stderr naming the problem, a non-zero exit, and nothing published.
    @Test func badInputIsAOneLineErrorWithNonZeroExitAndPublishesNothing() async throws {
        let topics = try await Ops.contractTopics("bad")
        let input = topics.enrollmentEvents
        _ = try await Ops.publish((0..<3).map {
            Ops.event("x-\($0)", patient: "p-\($0)", body: .visitCompleted(VisitCompleted(visitId: "v")), topic: input)
        })
        let before = (try await Ops.endOffsets(input), try await Ops.endOffsets(topics.audit), try await Ops.endOffsets(topics.deadLetters))
        let prefix = ["--topic-prefix", topics.prefix]
        let window = ["--from-time", "2020-01-01T00:00:00Z"]
        let cases: [(arguments: [String], expected: String, broker: Bool)] = [
            (["replay", "--topic", topics.prefix + "no.such.topic.v1"] + window, "unknown topic '\(topics.prefix)no.such.topic.v1'", true),
            (["replay", "--topic", input, "--from-time", "next tuesday"], "cannot read time 'next tuesday'", true),
            (["replay", "--topic", input, "--to-time", "2026-13-45T99:00:00Z", "--from-offset", "0:0"], "cannot read time '2026-13-45T99:00:00Z'", true),
            (["replay", "--topic", input, "--filter", "patientReferred.favouriteColour=blue"] + window,
                "trialtransit.v1.PatientReferred has no field 'favouriteColour'", true),
            (["replay", "--topic", input, "--filter", "colour=blue"] + window, "trialtransit.v1.EnrollmentEvent has no field 'colour'", true),
            (["replay", "--topic", input, "--filter", "body=visitExploded"] + window, "body has no member 'visitExploded'", true),
            (["replay", "--topic", input, "--timeout", "2", "--brokers", "127.0.0.1:1"] + window, "cannot reach the Kafka broker at 127.0.0.1:1", false),
            (["publish", "--topic", topics.prefix + "no.such.topic.v1", "--type", EnrollmentEvent.protoName, "--json", "-", "--key", "p"],
                "unknown topic '\(topics.prefix)no.such.topic.v1'", true),
            (["publish", "--topic", input, "--type", EnrollmentEvent.protoName, "--json", "-", "--timeout", "2", "--brokers", "127.0.0.1:1"],
                "cannot reach the Kafka broker", false),
            (["consume", "--topic", topics.prefix + "no.such.topic.v1"], "unknown topic", true),
            (["dlq", "redrive", "--offset", "0:99"], "dead letter 0:99 does not exist", true),
            (["lag", "--group", "g", "--topic", topics.prefix + "no.such.topic.v1"], "unknown topic", true),
        ]
        for (arguments, expected, broker) in cases {
            let run =
                broker
                ? try await Ops.ops(arguments + prefix, stdin: #"{"patientRef":"p","visitCompleted":{}}"#)
                : try await Ops.cli(arguments + prefix, stdin: #"{"patientRef":"p","visitCompleted":{}}"#)
            let errorLines = run.stderr.split(separator: "\n")
            #expect(run.status != 0, "\(arguments): \(run)")
            #expect(errorLines.count == 1 && errorLines.first?.hasPrefix("Error: ") == true, "\(arguments): \(run)")
            #expect(run.stderr.contains(expected), "\(arguments): expected '\(expected)' in \(run)")
            #expect(run.stdout.isEmpty, "\(arguments): \(run)")
        }
        let after = (try await Ops.endOffsets(input), try await Ops.endOffsets(topics.audit), try await Ops.endOffsets(topics.deadLetters))
        #expect(after == before, "nothing published")
    }
}
