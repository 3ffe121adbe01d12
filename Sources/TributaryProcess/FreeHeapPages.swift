#if canImport(Glibc)
import Glibc

/// The free pages of the C heap, returned to the kernel: glibc's
/// `malloc_trim(0)`, which gives back the free memory at the top of each
/// arena and advises away whole free pages inside them. What the start
/// allocated and freed (the configuration's parse, the spool's recovery)
/// otherwise stays resident. Swift's Glibc module does not import
/// `malloc.h`, so the function is looked up at run time; a C library
/// without it (musl) has nothing to do here.
public enum FreeHeapPages {
    public static func release() {
        typealias Trim = @convention(c) (Int) -> Int32
        // RTLD_DEFAULT: the global scope, where libc is.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }
}
#else
/// Elsewhere than Linux the allocator keeps its own counsel.
public enum FreeHeapPages {
    public static func release() {}
}
#endif
