import CLibFuzzer

/// Starts libFuzzer on `callback`.
///
/// SwiftPM links an executable target's `main` to `<module>_main`
/// (`--defsym main=fuzz_frame_main` on Linux) so that tests can link the
/// module; a fuzz target has no top-level code, so each defines that symbol
/// with `@_cdecl` and calls this, and libFuzzer's own `main` stays unused.
public enum LibFuzzer {
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: Callback) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }
}
