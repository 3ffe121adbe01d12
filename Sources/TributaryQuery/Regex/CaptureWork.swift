/// A step of `addCaptureThread`'s explicit stack (no recursion: a program
/// may hold thousands of empty-width steps in a row).
enum CaptureWork {
    case visit(Int)
    case restore(Int, Int)
}
