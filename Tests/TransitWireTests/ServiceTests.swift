import Foundation
import Testing
import TransitTestSupport
import TransitWire

@Suite("Services and registry")
struct ServiceTests {
    /// Full names of the top-level messages declared under protos/ (`package` + `message` lines).
    static func declaredMessages() throws -> [String] {
        let root = URL(fileURLWithPath: TestEnvironment.repositoryRoot).appendingPathComponent("protos")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "proto" } ?? []
        var names: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            guard let package = lines.first(where: { $0.hasPrefix("package ") }) else { continue }
            let prefix = package.dropFirst("package ".count).prefix { $0 != ";" }
            for line in lines where line.hasPrefix("message ") {
                names.append("\(prefix).\(line.dropFirst("message ".count).prefix { $0 != " " && $0 != "{" })")
            }
        }
        #expect(!names.isEmpty, "no .proto files under \(root.path)")
        return names
    }

    @Test("every generated WireMethod matches protobuf-c's service descriptor")
    func methodsMatchC() {
        let services: [(String, WireServiceDescriptor, [WireMethodDescriptor])] = [
            (TrialAccessService.name, TrialAccessService.descriptor, TrialAccessService.methods),
            (TransportBookingService.name, TransportBookingService.descriptor, TransportBookingService.methods),
            (HealthService.name, HealthService.descriptor, HealthService.methods),
        ]
        for (name, descriptor, methods) in services {
            #expect(descriptor.name == name)
            #expect(descriptor.package == "trialtransit.v1")
            #expect(methods == descriptor.methods)
            for method in descriptor.methods {
                #expect(WireRegistry.messageType(named: method.inputType) != nil)
                #expect(WireRegistry.messageType(named: method.outputType) != nil)
            }
        }
        #expect(WireRegistry.services.map(\.name) == ["trialtransit.v1.Health", "trialtransit.v1.TransportBooking", "trialtransit.v1.TrialAccess"])
        #expect(TrialAccessService.descriptor.methods.map(\.name) == ["RequestTrialAccess", "GetEnrollment", "RecordConsent", "WithdrawPatient"])
        #expect(TransportBookingService.descriptor.methods.map(\.name) == ["BookRide", "CancelRide", "GetBooking", "RebookRide"])
    }

    @Test("typed methods: paths, message types, topics")
    func typedMethods() {
        let method = TrialAccessService.requestTrialAccess
        #expect(method.path == "/trialtransit.v1.TrialAccess/RequestTrialAccess")
        #expect(method.descriptor.inputType == RequestTrialAccessRequest.protoName)
        #expect(method.descriptor.outputType == "trialtransit.v1.RequestTrialAccessResponse")
        #expect(HealthService.check.path == "/trialtransit.v1.Health/Check")
        #expect(HealthService.descriptor.requestTopic == "rpc.trialtransit.v1.Health.requests")
        let check = HealthService.descriptor.method(named: "Check")
        #expect(check.map { HealthService.descriptor.path(of: $0) } == HealthService.check.path)
        #expect(HealthService.descriptor.method(named: "Watch") == nil)
    }

    @Test("the registry knows every message by its full name and decodes through it")
    func registry() throws {
        // Exactly the messages the .proto files declare: the wire contract's and the stored forms.
        #expect(WireRegistry.messageNames == (try Self.declaredMessages()).sorted())
        #expect(WireRegistry.messageNames == WireRegistry.messageNames.sorted())
        for name in WireRegistry.messageNames {
            let type = try #require(WireRegistry.messageType(named: name))
            #expect(type.protoName == name)
        }
        #expect(WireRegistry.messageType(named: "trialtransit.v1.AuditRecord.DetailsEntry") == nil)
        #expect(WireRegistry.messageType(named: "PatientReferred") == nil)

        let type = try #require(WireRegistry.messageType(named: "trialtransit.v1.PatientReferred"))
        let decoded = try type.init(wireBytes: Samples.referral.wireBytes())
        #expect(decoded as? PatientReferred == Samples.referral)
        let fromJSON = try type.init(jsonString: Samples.referral.jsonString())
        #expect(fromJSON.wireBytes() == Samples.referral.wireBytes())
    }

    @Test("decoding by type name: binary and JSON, unknown names are a typed error")
    func decodeByName() throws {
        let bytes = Samples.audit.wireBytes()
        let decoded = try WireRegistry.decode(typeNamed: "trialtransit.v1.AuditRecord", wireBytes: bytes)
        #expect(decoded as? AuditRecord == Samples.audit)
        let json = Samples.audit.jsonString()
        #expect(try WireRegistry.decode(typeNamed: "trialtransit.v1.AuditRecord", jsonUTF8: json.utf8) as? AuditRecord == Samples.audit)
        #expect(throws: WireError(.unknownMessageType, #"no message type named "trialtransit.v1.Nope" in the protos"#)) {
            try WireRegistry.decode(typeNamed: "trialtransit.v1.Nope", wireBytes: bytes)
        }
    }

    @Test("enums: names, numbers, known values")
    func enums() {
        #expect(Mobility.wheelchair.name == "MOBILITY_WHEELCHAIR")
        #expect(Mobility(name: "MOBILITY_STRETCHER") == .stretcher)
        #expect(Mobility(name: "STRETCHER") == nil)
        #expect(Mobility.knownValues.map(\.rawValue) == [0, 1, 2, 3])
        #expect(LegDirection.return.rawValue == 2)
        #expect(TrialPhase.phase1_2.name == "TRIAL_PHASE_1_2")
        #expect(RideStatus.noDriversAvailable.description == "RIDE_STATUS_NO_DRIVERS_AVAILABLE")
        #expect(Mobility.protoName == "trialtransit.v1.Mobility")
    }
}
