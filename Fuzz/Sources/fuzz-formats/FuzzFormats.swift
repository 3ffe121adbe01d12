import FuzzSupport
import TributaryFormats

/// libFuzzer target: the agent's line formats on the same bytes: JSON
/// lines (`JSONLineParser`, on `JSONReader`), Docker json-file lines,
/// logfmt and StatsD packets. They return nil or count a malformed line;
/// none may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormats(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: input, as: UTF8.self)
    _ = JSONLineParser.parse(input)
    _ = JSONLineParser.parse(text)
    _ = DockerLogLine.parse(input)
    _ = LogfmtParser.parse(text)
    _ = StatsDParser.parse(input)
    return 0
}

/// The executable's entry point (see `LibFuzzer.run`).
@_cdecl("fuzz_formats_main")
public func fuzzFormatsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    LibFuzzer.run(argc, argv, fuzzFormats)
}
