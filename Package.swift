// swift-tools-version:6.2
import PackageDescription

/// CI builds our own Swift targets with every warning as an error (dependencies are left alone).
let strictSettings: [SwiftSetting] = Context.environment["CI"] != nil ? [.treatAllWarnings(as: .error)] : []

let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let tracing = Target.Dependency.product(name: "Tracing", package: "swift-distributed-tracing")

let package = Package(
    name: "TrialTransit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trialtransit", targets: ["trialtransit"]),
        .executable(name: "trialtransit-bench", targets: ["trialtransit-bench"]),
        .library(name: "TransitKafka", targets: ["TransitKafka"]),
        .library(name: "TransitWire", targets: ["TransitWire"]),
        .library(name: "TransitRPC", targets: ["TransitRPC"]),
        .library(name: "TransitRuntime", targets: ["TransitRuntime"]),
        .library(name: "TrialAccess", targets: ["TrialAccess"]),
        .library(name: "TransportBooking", targets: ["TransportBooking"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // SHA-256 of RPC requests (idempotency) and HMAC-SHA-256 booking ids: one vetted implementation.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // YAML for the configuration file (--config); swift-configuration's YAML trait would pull Yams too.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // The partner gateway's HTTPS client (webhook POSTs trusting a private CA); Hummingbird
        // already resolves these three.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // C layer: system libraries, a thin shim for librdkafka's variadic calls, the raw C
        // baselines used by `trialtransit-bench`, and protoc-c output for protos/ (scripts/generate-protos).
        // Only the RDKafka/ wrappers of TransitKafka, TransitWire and TransitStore import these
        // (internally), besides the benchmarks' baselines; scripts/check-imports holds the rules.
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "CRdKafkaShim", dependencies: ["CRdKafka"]),
        .target(name: "CKafkaBaseline", dependencies: ["CRdKafka"]),
        .target(name: "CTransitProto", linkerSettings: [.linkedLibrary("protobuf-c")]),

        // Swift API over librdkafka: the only module that calls rd_kafka_*.
        .target(
            name: "TransitKafka", dependencies: ["CRdKafka", "CRdKafkaShim", "TransitBlocking", "TransitTime", logging, metrics],
            swiftSettings: strictSettings),
        // Swift message types <-> protobuf-c structs: the only module that touches protobuf-c.
        .target(name: "TransitWire", dependencies: ["CTransitProto"], swiftSettings: strictSettings),
        // gRPC-style request/reply over Kafka.
        .target(
            name: "TransitRPC", dependencies: ["TransitKafka", "TransitWire", "TransitTime", logging, metrics, crypto, tracing], swiftSettings: strictSettings),
        // Durable stores: SQLite (embedded) and PostgreSQL (shared).
        .target(
            name: "TransitStore",
            dependencies: ["CSQLite", "CLibPQ", "TransitBlocking", "TransitTime", "TransitWire", logging],
            swiftSettings: strictSettings),
        // Worker loop: batches, inbox, outbox, timers, retries, dead letters.
        .target(
            name: "TransitRuntime",
            dependencies: [
                "TransitKafka", "TransitWire", "TransitRPC", "TransitStore", "TransitTime", logging, metrics, tracing,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The operator's view of a worker process: /healthz, /readyz and /metrics over HTTP
        // (Hummingbird), and the client side of those probes (`trialtransit health`, tests).
        .target(
            name: "TransitHTTP",
            dependencies: [
                logging, .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        // The partner webhook gateway (`trialtransit partner-gateway`): commands to partners without
        // Kafka as signed HTTPS POSTs, their ride updates through a signed REST endpoint.
        .target(
            name: "PartnerGateway",
            dependencies: [
                "TransitKafka", "TransitWire", "TransitRPC", "TransitRuntime", "TransitStore", "TransitTime", logging, metrics, crypto,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The HTTPS client of the webhook POSTs: trusts a CA of the operator's choosing, which
                // URLSession on Linux cannot (WebhookPoster.swift says why).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        // Wall-clock time, injectable (one clock for runtime, stores, RPC and domains' time-outs).
        .target(name: "TransitTime", swiftSettings: strictSettings),
        // Blocking calls (librdkafka, database round trips) off the cooperative pool: one executor.
        .target(name: "TransitBlocking", swiftSettings: strictSettings),
        // Pure domain: no Kafka, no C.
        .target(name: "TransitDomain", swiftSettings: strictSettings),
        // The soak's history checker (`trialtransit soak`): pure, no dependencies, unit-tested.
        .target(name: "TransitSoak", swiftSettings: strictSettings),
        .target(name: "TrialAccess", dependencies: ["TransitDomain"], swiftSettings: strictSettings),
        .target(name: "TransportBooking", dependencies: ["TransitDomain"], swiftSettings: strictSettings),
        // The domains wired to Kafka through the runtime: wire mapping, handlers, RPC methods.
        .target(
            name: "TrialAccessWorker",
            dependencies: ["TransitTime", "TrialAccess", "TransitRuntime", "TransitRPC", "TransitWire", "TransitStore", "TransitKafka", logging, metrics],
            swiftSettings: strictSettings),
        .target(
            name: "TransportWorker",
            dependencies: [
                "TransitTime", "TransportBooking", "TransitRuntime", "TransitRPC", "TransitWire", "TransitStore", "TransitKafka", logging,
                metrics, crypto,
            ],
            swiftSettings: strictSettings),

        // Not production: the reference handler, an in-memory store and the reference transport
        // partner, for the CLI's demo, `worker example` and partner-sim commands, benchmarks and tests.
        .target(
            name: "TransitDemo",
            dependencies: ["TransitRuntime", "TransitRPC", "TransitWire", "TransitStore", "TransitKafka", logging],
            swiftSettings: strictSettings),
        // Command-line options shared by the two executables, and their layering: arguments over
        // TRIALTRANSIT_* variables over the --config file (YAML).
        .target(
            name: "TransitCommandLine",
            dependencies: [
                "TransitKafka", "TransitWire", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),

        .executableTarget(
            name: "trialtransit",
            dependencies: [
                "TransitKafka", "TransitWire", "TransitRPC", "TransitStore", "TransitRuntime",
                "TrialAccess", "TransportBooking", "TrialAccessWorker", "TransportWorker", "TransitDemo",
                "TransitCommandLine", "TransitTime", "TransitHTTP", "TransitSoak", "PartnerGateway", logging, metrics, tracing,
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Benchmarks beside their raw baselines (C librdkafka, bare protobuf-c, the raw store):
        // kept out of the production binary.
        .executableTarget(
            name: "trialtransit-bench",
            dependencies: [
                "TransitKafka", "TransitWire", "TransitRPC", "TransitStore", "TransitRuntime",
                "TrialAccess", "TransportBooking", "TrialAccessWorker", "TransportWorker", "TransitDemo",
                "TransitCommandLine", "CKafkaBaseline", "CTransitProto", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        // Shared by every test target: broker and PostgreSQL from the environment, topic readers that
        // throw with what they saw, the built binaries, a manual clock. Not part of any product.
        .target(
            name: "TransitTestSupport",
            dependencies: [
                "TransitKafka", "TransitStore", "TransitRPC", "TransitWire", "TransitTime", logging, tracing,
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            path: "Tests/TransitTestSupport", swiftSettings: strictSettings),

        .testTarget(name: "TransitKafkaTests", dependencies: ["TransitKafka", "TransitTestSupport", "TransitTime", logging], swiftSettings: strictSettings),
        .testTarget(
            name: "TransitCommandLineTests",
            dependencies: ["TransitCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings),
        .testTarget(name: "TransitWireTests", dependencies: ["TransitTestSupport", "TransitWire"], swiftSettings: strictSettings),
        .testTarget(name: "TransitStoreTests", dependencies: ["TransitTestSupport", "TransitTime", "TransitStore", "trialtransit-bench"], swiftSettings: strictSettings),
        .testTarget(
            name: "TransitRPCTests", dependencies: ["TransitTestSupport", "TransitTime", "TransitRPC", "TransitKafka", "TransitWire", logging, tracing],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TransitRuntimeTests",
            dependencies: ["TransitTestSupport", "TransitTime", "TransitRuntime", "TransitRPC", "TransitKafka", "TransitWire", "TransitStore", "TransitDemo", logging, tracing],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TrialAccessWorkerTests",
            dependencies: [
                "TransitTestSupport", "TransitTime", "TransitDomain", "TrialAccessWorker", "TrialAccess", "TransportWorker", "TransportBooking",
                "TransitRuntime", "TransitRPC", "TransitWire", "TransitStore", "TransitKafka", "TransitDemo", logging,
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TransportWorkerTests",
            dependencies: ["TransitTestSupport", "TransitTime", "TransportWorker", "TransportBooking", "TransitRuntime", "TransitRPC", "TransitWire", "TransitStore", "TransitKafka", "TransitDemo", logging],
            swiftSettings: strictSettings),
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "TransitTestSupport", "TransitTime", "TransitStore", "TransitKafka", "TransitWire", "TransitRPC", "TransitHTTP",
                "TransitCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"), logging,
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TrialAccessTests", dependencies: ["TrialAccess", "TrialAccessWorker", "TransitTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(name: "TransportBookingTests", dependencies: ["TransportBooking"], swiftSettings: strictSettings),
        .testTarget(name: "TransitSoakTests", dependencies: ["TransitSoak"], swiftSettings: strictSettings),
        .testTarget(
            name: "PartnerGatewayTests",
            dependencies: [
                "PartnerGateway", "TransitTestSupport", "TransitTime", "TransitStore", logging,
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
