// swift-tools-version:6.0
import PackageDescription

/// Tributary: a log, metrics and change-event collector (agent) and an
/// aggregator cluster (node). One executable, `trib`; everything testable
/// lives in libraries named `Tributary…` so they cannot collide with a
/// dependency's module names.
let package = Package(
    name: "tributary",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trib", targets: ["trib"]),
        // The agent alone (`trib-agent --config agent.yaml`, the same as
        // `trib agent`): a smaller executable with a smaller resident set
        // for every host of a fleet; the packages' agent unit runs it.
        .executable(name: "trib-agent", targets: ["trib-agent"]),
        // The parsers of untrusted input, for the libFuzzer package in
        // `Fuzz/` (which depends on this one by path); not an API. The
        // services (node and agent configuration readers) are a product of
        // their own so that the other fuzz targets build without them.
        .library(
            name: "TributaryFuzzable",
            targets: [
                "TributaryModel", "TributaryWire", "TributaryCluster", "TributarySyslog", "TributaryFormats",
                "TributaryQuery", "TributaryConfig",
            ]
        ),
        .library(name: "TributaryFuzzableServices", targets: ["TributaryNode", "TributaryAgent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Loki's live tail (`/loki/api/v1/tail`) is a WebSocket.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        // System C libraries, found through pkg-config, and one shim for the
        // macros Swift cannot import.
        .systemLibrary(
            name: "CTributaryZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .systemLibrary(
            name: "CTributaryOpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(
            name: "CTributaryShims",
            dependencies: ["CTributaryZlib", "CTributaryOpenSSL"]
        ),

        .target(name: "CTributaryCRC32C"),
        // Snappy's block format (Prometheus remote write, Loki push).
        .systemLibrary(
            name: "CTributarySnappy",
            pkgConfig: "snappy",
            providers: [.apt(["libsnappy-dev"]), .brew(["snappy"])]
        ),

        // Atomic, synced small files and directory syncs: the one place
        // every component makes its state durable.
        .target(name: "TributaryDurability"),

        // Libraries.
        .target(
            name: "TributaryCompression",
            dependencies: [
                "CTributaryZlib",
                "CTributarySnappy",
                "CTributaryShims",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The protobuf messages of the push APIs other tools speak (Loki
        // push, Prometheus remote write 1.0, OTLP logs and metrics), generated
        // from proto/push/ by proto/generate-swift.sh and committed.
        .target(
            name: "TributaryPushFormats",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // Those requests (and their JSON forms) into records, with limits:
        // pure code, no I/O, shared by the node and the push benchmark.
        .target(
            name: "TributaryPush",
            dependencies: [
                "TributaryPushFormats",
                "TributaryModel",
                "TributaryWire",
                "TributaryCompression",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TributaryModel",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TributaryWire",
            dependencies: [
                "CTributaryCRC32C",
                "TributaryModel",
                "TributaryCompression",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // OpenSSL helpers shared by the TLS layer and the development CA.
        .target(
            name: "TributaryOpenSSLSupport",
            dependencies: ["CTributaryOpenSSL", "CTributaryShims"]
        ),
        .target(
            name: "TributaryPKI",
            dependencies: ["TributaryDurability", "CTributaryOpenSSL", "CTributaryShims", "TributaryOpenSSLSupport"]
        ),
        .target(
            name: "TributaryTLS",
            dependencies: [
                "CTributaryOpenSSL",
                "CTributaryShims",
                "TributaryOpenSSLSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TributaryStorage",
            dependencies: [
                "TributaryDurability",
                "CTributaryOpenSSL",
                "TributaryWire",
                "TributaryModel",
                "TributaryCompression",
                "TributaryQuery",
                "TributaryPatterns",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TributaryQuery",
            dependencies: ["TributaryModel"]
        ),
        // Anomaly detection over query results (robust seasonal baselines,
        // trend rules, pattern anomalies), the synthetic evaluation suite,
        // and incidents that tie findings, change events and log patterns
        // together. Pure code over a QuerySource, no I/O.
        .target(
            name: "TributaryAnomaly",
            dependencies: [
                "TributaryModel",
                "TributaryQuery",
                "TributaryConfig",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Runs Prometheus' PromQL test scripts (promqltest) against the
        // query engine: shared by `trib bench promql` and the tests, and
        // kept out of TributaryQuery because it is a test harness, not
        // part of the engine a node links for queries.
        .target(
            name: "TributaryConformance",
            dependencies: ["TributaryQuery", "TributaryModel"]
        ),
        // Parsers for what agents receive: syslog (RFC 3164, 5424, 6587
        // framing) and the other text formats (StatsD, logfmt, JSON, Docker
        // json-file, /proc). Pure code, no I/O besides reading /proc files.
        .target(name: "TributarySyslog"),
        // Prometheus text exposition shared by node and agent.
        .target(name: "TributaryTelemetry"),
        .target(name: "TributaryFormats"),
        .target(
            name: "TributaryConfig",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Alerting and recording rules (Prometheus' rule files), the alert
        // state machine, templates, notification payloads and the durable
        // outbox. No network I/O: the node evaluates and sends.
        .target(
            name: "TributaryAlerting",
            dependencies: ["TributaryConfig", "TributaryQuery", "TributaryModel", "TributaryDurability", "TributaryAnomaly"]
        ),
        // Log template mining (log patterns; template-aware storage): pure
        // code on bytes, no dependency on the node.
        .target(name: "TributaryPatterns"),
        // The cluster's shape and its node-to-node messages: topology
        // epochs, rendezvous placement, peer frames. Pure code, no I/O.
        .target(
            name: "TributaryCluster",
            dependencies: [
                "TributaryDurability",
                "TributaryModel",
                "TributaryWire",
                "TributaryStorage",
                "TributaryConfig",
                "TributaryQuery",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TributaryNode",
            dependencies: [
                "TributaryConsole",
                "TributaryPatterns",
                "TributaryHTTPServer",
                "TributaryAPI",
                "TributaryOpenSSLSupport",
                "TributaryDurability",
                "TributaryCluster",
                "TributaryModel",
                "TributaryWire",
                "TributaryStorage",
                "TributaryTLS",
                "TributaryConfig",
                "TributaryQuery",
                "TributaryTelemetry",
                "TributaryAlerting",
                "TributaryAnomaly",
                "TributaryHTTPClient",
                "TributaryPush",
                // Central configuration: a push is checked by the agent's own validator.
                "TributaryAgent",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The web console's files (HTML, CSS, JavaScript modules) compiled
        // into the binary and gzip-compressed once; the node serves them.
        .target(
            name: "TributaryConsole",
            dependencies: [
                "TributaryCompression",
                "TributaryOpenSSLSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [
                .embedInCode("Assets/index.html"), .embedInCode("Assets/console.css"), .embedInCode("Assets/app.js"),
                .embedInCode("Assets/api.js"), .embedInCode("Assets/dom.js"), .embedInCode("Assets/timerange.js"),
                .embedInCode("Assets/chart.js"), .embedInCode("Assets/explore.js"), .embedInCode("Assets/graph.js"),
                .embedInCode("Assets/patterns.js"), .embedInCode("Assets/fleet.js"), .embedInCode("Assets/cluster.js"),
                .embedInCode("Assets/alerts.js"), .embedInCode("Assets/favicon.svg"), .embedInCode("Assets/completion.js"),
                .embedInCode("Assets/queryerror.js"),
            ]
        ),
        // The node's HTTP API answers as Codable types, shared by the node
        // (encoding) and the CLI and demo (decoding). No I/O.
        .target(name: "TributaryAPI"),
        // One Hummingbird application run in the background by the node and
        // the agent: start, learn the port, stop with a bounded drain.
        .target(
            name: "TributaryHTTPServer",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The blocking HTTP(S) client of a node's API used by `trib query`,
        // `trib cluster`, the demo, the benchmarks and the tests.
        .target(
            name: "TributaryHTTPClient",
            dependencies: ["TributaryTLS"]
        ),
        // A loopback port that was free a moment ago (demo, benchmarks, tests).
        .target(name: "TributaryFreePort"),
        // Signals, the graceful stop and standard output of a long-running
        // command, shared by `trib` and `trib-agent` (no Foundation).
        .target(
            name: "TributaryProcess",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // `trib agent`: inputs, processing, the disk spool and the forwarder.
        .target(
            name: "TributaryAgent",
            dependencies: [
                "TributaryProcess",
                "TributaryDurability",
                "TributaryModel",
                "TributaryWire",
                "TributaryCompression",
                "TributaryTLS",
                "TributaryConfig",
                "TributarySyslog",
                "TributaryFormats",
                "TributaryTelemetry",
                // The prometheus input: scrapes over HTTP(S), reads file_sd YAML.
                "TributaryHTTPClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The local /metrics, /healthz and events port: NIO's HTTP/1.1
                // codec rather than Hummingbird (the lean agent, BENCHMARKS.md).
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "TributaryBench",
            dependencies: [
                // `trib bench console`: the console's asset sizes.
                "TributaryConsole",
                "TributaryPatterns",
                "TributaryCluster",
                "TributaryModel",
                "TributaryWire",
                "TributaryCompression",
                "TributaryTLS",
                "TributaryPKI",
                "TributaryNode",
                "TributaryAgent",
                "TributaryHTTPClient",
                "TributaryFreePort",
                // `trib bench scrape`: the prometheus input's parser.
                "TributaryFormats",
                "TributaryPushFormats",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // `trib demo`: a local cluster and agent fed with sample data.
        .target(
            name: "TributaryDemo",
            dependencies: [
                "TributaryNode",
                "TributaryModel",
                "TributaryAgent",
                "TributaryPKI",
                "TributaryQuery",
                "TributaryTLS",
                "TributaryAPI",
                "TributaryHTTPClient",
                "TributaryFreePort",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Helpers shared by test targets (never copied between them).
        .target(
            name: "TributaryTestSupport",
            dependencies: [
                "TributaryModel",
                "TributaryPKI",
                "TributaryWire",
                "TributaryTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // The one executable: parses arguments and wires libraries together.
        .executableTarget(
            name: "trib",
            dependencies: [
                "TributaryAnomaly",
                "TributaryBench",
                "TributaryConformance",
                "TributaryDemo",
                "TributaryCluster",
                "TributaryQuery",
                "TributaryPKI",
                "TributaryTLS",
                "TributaryNode",
                "TributaryAgent",
                "TributaryConfig",
                "TributaryAPI",
                "TributaryHTTPClient",
                "TributaryAlerting",
                "TributaryProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // `trib-agent`: the agent without the node, the benchmarks, the
        // demo or the argument parser (deploy/package/, BENCHMARKS.md).
        .executableTarget(
            name: "trib-agent",
            dependencies: ["TributaryAgent", "TributaryModel", "TributaryProcess"]
        ),

        // Tests mirror the library targets.
        .testTarget(
            name: "TributaryDurabilityTests",
            dependencies: ["TributaryDurability"]
        ),
        .testTarget(
            name: "TributaryCompressionTests",
            dependencies: ["TributaryCompression", "TributaryTestSupport"]
        ),
        .testTarget(
            name: "TributaryAPITests",
            dependencies: ["TributaryAPI"]
        ),
        .testTarget(
            name: "TributaryModelTests",
            dependencies: ["TributaryModel"]
        ),
        .testTarget(
            name: "TributaryWireTests",
            dependencies: [
                "TributaryWire",
                "TributaryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributaryPKITests",
            dependencies: ["TributaryPKI", "TributaryTestSupport"]
        ),
        .testTarget(
            name: "TributaryTLSTests",
            dependencies: [
                "TributaryTLS",
                "TributaryPKI",
                "TributaryWire",
                "TributaryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributaryStorageTests",
            dependencies: [
                "TributaryStorage",
                "TributaryModel",
                "TributaryQuery",
                "TributaryWire",
                "TributaryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributaryQueryTests",
            dependencies: [
                "TributaryQuery",
                "TributaryConformance",
                "TributaryModel",
                "TributaryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributaryAnomalyTests",
            dependencies: [
                "TributaryAnomaly",
                "TributaryTestSupport",
                "TributaryQuery",
                "TributaryModel",
                "TributaryConfig",
            ]
        ),
        .testTarget(
            name: "TributaryPushTests",
            dependencies: [
                "TributaryPush",
                "TributaryPushFormats",
                "TributaryModel",
                "TributaryWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributarySyslogTests",
            dependencies: ["TributarySyslog"]
        ),
        .testTarget(
            name: "TributaryPatternsTests",
            dependencies: ["TributaryPatterns"]
        ),
        .testTarget(
            name: "TributaryFormatsTests",
            dependencies: ["TributaryFormats"]
        ),
        .testTarget(
            name: "TributaryAlertingTests",
            dependencies: ["TributaryAlerting", "TributaryAnomaly", "TributaryConfig", "TributaryModel", "TributaryQuery", "TributaryTestSupport"]
        ),
        .testTarget(
            name: "TributaryConfigTests",
            dependencies: ["TributaryConfig"]
        ),
        .testTarget(
            name: "TributaryClusterTests",
            dependencies: [
                "TributaryCluster",
                "TributaryStorage",
                "TributaryWire",
                "TributaryModel",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributaryNodeTests",
            dependencies: [
                "TributaryNode",
                "TributaryWire",
                "TributaryTLS",
                "TributaryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributaryAgentTests",
            dependencies: [
                "TributaryAgent",
                "TributaryProcess",
                "TributaryModel",
                "TributaryWire",
                "TributaryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TributaryCLITests",
            dependencies: [
                "trib",
                "trib-agent",
                "TributaryDemo",
                "TributaryCluster",
                "TributaryTestSupport",
                "TributaryNode",
                "TributaryWire",
                "TributaryModel",
                "TributaryHTTPClient",
                "TributaryFreePort",
                "TributaryCompression",
                "TributaryPushFormats",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                // Reads deploy/integrations/ files (Grafana provisioning).
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
