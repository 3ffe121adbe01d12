// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for Tributary's parsers of untrusted input. A separate
/// package so that `swift build` and `swift test` of the main package never
/// see the fuzzer flags; built by `Fuzz/run.sh` (see docs/fuzzing.md) with
///
///     swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
///         -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
///
/// Each executable defines `LLVMFuzzerTestOneInput`; libFuzzer's own `main`
/// drives it.
let package = Package(
    name: "tributary-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tributary", path: ".."),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .executableTarget(name: "fuzz-frame", dependencies: ["FuzzSupport", .product(name: "TributaryFuzzable", package: "tributary")]),
        .executableTarget(name: "fuzz-batch", dependencies: ["FuzzSupport", .product(name: "TributaryFuzzable", package: "tributary")]),
        .executableTarget(name: "fuzz-syslog", dependencies: ["FuzzSupport", .product(name: "TributaryFuzzable", package: "tributary")]),
        .executableTarget(name: "fuzz-formats", dependencies: ["FuzzSupport", .product(name: "TributaryFuzzable", package: "tributary")]),
        .executableTarget(name: "fuzz-query", dependencies: ["FuzzSupport", .product(name: "TributaryFuzzable", package: "tributary")]),
        // Node and agent configurations need those (large) modules: built only
        // when this target is.
        .executableTarget(
            name: "fuzz-config",
            dependencies: [
                "FuzzSupport",
                .product(name: "TributaryFuzzable", package: "tributary"),
                .product(name: "TributaryFuzzableServices", package: "tributary"),
            ]
        ),
    ]
)
