import FuzzSupport
import TributaryAgent
import TributaryCluster
import TributaryConfig
import TributaryNode

/// libFuzzer target: a configuration file as `trib node`, `trib agent` and
/// the topology reader read it: YAML (Yams) into `ConfigReader`, then every
/// key's type, range and unit checks. Bad input is a `ConfigError` naming
/// the key, never a trap.
///
/// Paths in the file resolve against a directory that does not exist; a
/// `cluster.topology` naming a device or /proc file is skipped, since
/// reading /dev/zero would never end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let environment = ["TOKEN": "token-for-acme", "HOST": "127.0.0.1", "EMPTY": ""]
    let base = "/nonexistent-trib-fuzz"
    if !text.contains("/dev") && !text.contains("/proc") && !text.contains("/sys") {
        if let reader = try? ConfigReader.parse(text, file: "node.yaml", environment: environment) {
            _ = try? NodeConfiguration.read(reader, relativeTo: base)
        }
    }
    if let reader = try? ConfigReader.parse(text, file: "agent.yaml", environment: environment) {
        _ = try? AgentConfiguration.read(reader, relativeTo: base)
    }
    do {
        _ = try Topology.parse(text)
    } catch {
        _ = error.description
    }
    return 0
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_config_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzConfig)
}
