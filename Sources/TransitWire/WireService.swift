internal import CTransitProto

/// A method of a proto service, as protobuf-c describes it.
public struct WireMethodDescriptor: Hashable, Sendable, CustomStringConvertible {
    /// Method name, e.g. `"RequestTrialAccess"`.
    public var name: String
    /// Full proto name of the request message.
    public var inputType: String
    /// Full proto name of the response message.
    public var outputType: String

    public init(name: String, inputType: String, outputType: String) {
        self.name = name
        self.inputType = inputType
        self.outputType = outputType
    }

    public var description: String { "\(name)(\(inputType)) returns (\(outputType))" }
}

/// A proto service, read at run time from protobuf-c's `ProtobufCServiceDescriptor`.
public struct WireServiceDescriptor: Hashable, Sendable {
    /// Full proto name, e.g. `"trialtransit.v1.TrialAccess"`.
    public var name: String
    /// Name without the package, e.g. `"TrialAccess"`.
    public var shortName: String
    /// Proto package, e.g. `"trialtransit.v1"`.
    public var package: String
    /// Methods in declaration order.
    public var methods: [WireMethodDescriptor]

    init(_ c: ProtobufCServiceDescriptor) {
        name = WireC.string(c.name)
        shortName = WireC.string(c.short_name)
        package = WireC.string(c.package)
        methods = WireC.buffer(UnsafeMutablePointer(mutating: c.methods), Int(c.n_methods)).map {
            WireMethodDescriptor(
                name: WireC.string($0.name), inputType: WireC.string($0.input.pointee.name),
                outputType: WireC.string($0.output.pointee.name))
        }
    }

    /// The method called `name`, if the service has it.
    public func method(named name: String) -> WireMethodDescriptor? { methods.first { $0.name == name } }

    /// gRPC path of a method: `/<service full name>/<method>`.
    public func path(of method: WireMethodDescriptor) -> String { "/\(name)/\(method.name)" }

    /// Kafka request topic without prefix: `rpc.<service full name>.requests`.
    public var requestTopic: String { "rpc.\(name).requests" }
}

/// A typed handle on one RPC method; generated as static members of `<Service>Service`.
public struct WireMethod<Request: WireMessage, Response: WireMessage>: Hashable, Sendable, CustomStringConvertible {
    /// Full proto name of the service.
    public let service: String
    /// Method name.
    public let name: String

    public init(service: String, name: String) {
        self.service = service
        self.name = name
    }

    /// gRPC path, the `rpc-method` header: `/trialtransit.v1.TrialAccess/RequestTrialAccess`.
    public var path: String { "/\(service)/\(name)" }

    /// Name and message types, comparable with the protobuf-c service descriptor.
    public var descriptor: WireMethodDescriptor {
        WireMethodDescriptor(name: name, inputType: Request.protoName, outputType: Response.protoName)
    }

    public var description: String { path }
}
