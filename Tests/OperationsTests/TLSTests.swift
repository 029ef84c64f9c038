import Foundation
import Testing
import TransitKafka
import TransitRPC
import TransitTestSupport
import TransitWire

/// TLS to the brokers end to end: the test broker behind a TLS terminator (socat, certificates made
/// by openssl here), clients in a network namespace where the broker's advertised address is the
/// terminator (``TLSFront``). Needs root, iproute2, socat and openssl (scripts/bootstrap); without
/// them the tests fail saying so.
extension OperationsTests {
    @Test func aWorkerPublishAndConsumeWorkOverTLSWithTheRightCA() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try await withFront(certificate: certificates.server, key: certificates.serverKey) { front in
            let topics = try await Ops.contractTopics("tls")
            let worker = try spawnWorker(
                front: front, topics: topics, tls: ["--tls-ca", certificates.ca])
            do {
                let tls = [
                    "--brokers", front.address, "--local-broker", "--tls-ca", certificates.ca,
                    "--topic-prefix", topics.prefix,
                ]
                let published = try await Ops.cli(
                    [
                        "publish", "--topic", topics.enrollmentEvents, "--type", PatientReferred.protoName,
                        "--key", "p-tls", "--json", "-",
                    ] + tls,
                    stdin: #"{"referralId":"ref-tls","conditionCode":"C34.1","ageYears":61}"#, inside: front)
                #expect(published.status == 0, "\(published)\n\(front.logs())")
                let eventID = try #require(
                    published.lines.first?.split(separator: " ").first { $0.hasPrefix("event_id=") }?
                        .dropFirst(9))

                // The worker, also behind TLS, turned the input into one output.
                let outputs = try await Ops.read(topics.trialAccessEvents) { $0.count >= 1 }
                #expect(outputs.count == 1 && outputs[0].keyString == "p-tls", "\(outputs)")

                let consumed = try await Ops.cli(
                    ["consume", "--topic", topics.enrollmentEvents, "--max", "1"] + tls, inside: front)
                #expect(consumed.status == 0, "\(consumed)")
                let value = consumed.lines.compactMap(Ops.json).first?["value"] as? [String: Any]
                #expect(value?["eventId"] as? String == String(eventID), "\(consumed)")
            } catch {
                Ops.stop(worker.process)
                throw error
            }
            Ops.stop(worker.process)
            #expect(worker.process.terminationStatus == 0, "worker: \(worker.output())")
        }
    }

    @Test func aWrongCAOrHostNameFailsWithOneClearError() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let topics = try await Ops.contractTopics("tls-bad")
        let cases: [(certificate: String, ca: String, expected: String)] = [
            (certificates.server, certificates.otherCA, "its certificate is not signed by a trusted CA"),
            (certificates.wrongHost, certificates.ca, "its certificate is not issued for host 127.0.0.1"),
        ]
        for (certificate, ca, expected) in cases {
            try await withFront(certificate: certificate, key: certificates.serverKey) { front in
                let tls = [
                    "--brokers", front.address, "--tls-ca", ca, "--topic-prefix", topics.prefix, "--timeout",
                    "5",
                ]
                let runs = [
                    try await Ops.cli(
                        [
                            "publish", "--topic", topics.enrollmentEvents, "--type", PatientReferred.protoName,
                            "--key", "p", "--json", "-",
                        ] + tls,
                        stdin: #"{"referralId":"r"}"#, inside: front),
                    try await Ops.cli(
                        ["consume", "--topic", topics.enrollmentEvents, "--max", "1"] + tls, inside: front),
                    try await Ops.cli(
                        [
                            "worker", "example", "--brokers", front.address, "--tls-ca", ca, "--topic-prefix",
                            topics.prefix,
                            "--store", "sqlite:" + Ops.sqlitePath(), "--input-topic", topics.enrollmentEvents,
                            "--output-topic", topics.trialAccessEvents, "--group", Ops.unique("tls-bad"),
                            "--http-port", "0",
                        ],
                        inside: front),
                ]
                for run in runs {
                    #expect(run.status != 0, "\(run)")
                    let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
                    #expect(
                        errors.count == 1
                            && errors[0].contains("TLS to broker \(front.address) failed: \(expected)"), "\(run)")
                    #expect(errors.first.map { $0.count < 200 } ?? false, "one short line: \(run)")
                }
            }
        }
    }

    @Test func mutualTLSNeedsTheClientCertificateGivenByOptionOrVariable() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try await withFront(
            certificate: certificates.server, key: certificates.serverKey, clientCA: certificates.ca
        ) { front in
            let topics = try await Ops.contractTopics("mtls")
            let publish = [
                "publish", "--brokers", front.address, "--topic-prefix", topics.prefix, "--topic",
                topics.enrollmentEvents,
                "--type", PatientReferred.protoName, "--key", "p-mtls", "--json", "-",
            ]
            let input = #"{"referralId":"ref-mtls"}"#

            let withoutCertificate = try await Ops.cli(
                publish + ["--timeout", "5"], stdin: input, environment: ["TRIALTRANSIT_TLS_CA": certificates.ca], inside: front)
            #expect(withoutCertificate.status != 0, "\(withoutCertificate)")
            #expect(
                withoutCertificate.stderr.contains("the broker refused our client certificate"),
                "\(withoutCertificate)")

            let byOption = try await Ops.cli(
                publish + [
                    "--timeout", "30", "--tls-ca", certificates.ca, "--tls-cert", certificates.client, "--tls-key",
                    certificates.clientKey,
                ],
                stdin: input, inside: front)
            #expect(byOption.status == 0, "\(byOption)\n\(front.logs())")
            let byVariable = try await Ops.cli(
                publish + ["--timeout", "30"], stdin: input,
                environment: [
                    "TRIALTRANSIT_TLS_CA": certificates.ca, "TRIALTRANSIT_TLS_CERT": certificates.client,
                    "TRIALTRANSIT_TLS_KEY": certificates.clientKey,
                ], inside: front)
            #expect(byVariable.status == 0, "\(byVariable)")
            let records = try await Ops.read(topics.enrollmentEvents) { $0.count >= 2 }
            #expect(records.count == 2 && records.allSatisfy { $0.keyString == "p-mtls" }, "\(records)")
        }
    }

    /// Runs `body` with a ``TLSFront`` before the test broker, stopped afterwards also when `body` throws.
    private func withFront(
        certificate: String, key: String, clientCA: String? = nil,
        _ body: (TLSFront) async throws -> Void
    ) async throws {
        let front = try await TLSFront.start(
            broker: try Ops.brokers, certificate: certificate, key: key, clientCA: clientCA)
        do {
            try await body(front)
        } catch {
            await front.stop()
            throw error
        }
        await front.stop()
    }

    /// `trialtransit worker example` inside `front`'s namespace, from `topics.enrollmentEvents` to
    /// `topics.trialAccessEvents`; its output goes to a file, for a failing test's message.
    private func spawnWorker(front: TLSFront, topics: TransitTopics, tls: [String]) throws -> (
        process: Process, output: () -> String
    ) {
        let log = NSTemporaryDirectory() + Ops.unique("tls-worker") + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let command = try front.command(
            try Ops.executable,
            [
                "worker", "example", "--brokers", front.address, "--local-broker", "--topic-prefix",
                topics.prefix,
                "--store", "sqlite:" + Ops.sqlitePath(), "--input-topic", topics.enrollmentEvents,
                "--output-topic", topics.trialAccessEvents,
                "--group", Ops.unique("tls-worker"), "--http-port", "0", "--session-timeout", "6",
                "--max-poll-interval", "8",
            ] + tls)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.executable)
        process.arguments = command.arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TRIALTRANSIT_LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        return (process, { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" })
    }
}
