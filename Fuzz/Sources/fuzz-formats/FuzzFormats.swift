import FuzzSupport
import TributaryFormats

/// libFuzzer target: the agent's line formats on the same bytes: JSON
/// lines (`JSONLineParser`, on `JSONReader`), Docker json-file lines,
/// logfmt, StatsD packets and Prometheus/OpenMetrics expositions (the
/// prometheus input's parser, with small limits so they are reached).
/// They return nil, count a malformed line or throw; none may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormats(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: input, as: UTF8.self)
    _ = JSONLineParser.parse(input)
    _ = JSONLineParser.parse(text)
    _ = DockerLogLine.parse(input)
    _ = LogfmtParser.parse(text)
    _ = StatsDParser.parse(input)
    var limits = ExpositionLimits(maxSamples: 100)
    limits.maxLineBytes = 1024
    let bytes = Array(input)
    _ = try? ExpositionParser.parse(bytes, format: .text, limits: limits)
    _ = try? ExpositionParser.parse(bytes, format: .openMetrics, limits: limits)
    return 0
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_formats_main")
public func fuzzFormatsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzFormats)
}
