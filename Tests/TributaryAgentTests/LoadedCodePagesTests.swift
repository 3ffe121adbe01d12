#if canImport(Glibc)
import Foundation
import Testing
import TributaryProcess

/// `LoadedCodePages`, which the agent calls after its start: it must pick
/// only mappings whose pages are clean file pages, and the process must go
/// on working after they are dropped.
@Suite struct LoadedCodePagesTests {
    /// Five mappings as /proc/PID/smaps prints them (fields abridged to
    /// those that matter and a few others): only the first is clean code.
    static let sample = """
        55d0c0000000-55d0c1000000 r-xp 00a00000 08:01 1234                       /usr/bin/trib-agent
        Size:              16384 kB
        Rss:                2048 kB
        Private_Clean:      2048 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        VmFlags: rd ex mr mw me sd
        55d0c1000000-55d0c1200000 r--p 01a00000 08:01 1234                       /usr/bin/trib-agent
        Size:               2048 kB
        Rss:                1100 kB
        Private_Dirty:      1100 kB
        Anonymous:          1100 kB
        Swap:                  0 kB
        VmFlags: rd mr mw me ac sd
        55d0c1200000-55d0c1300000 rw-p 01c00000 08:01 1234                       /usr/bin/trib-agent
        Size:               1024 kB
        Rss:                  64 kB
        Anonymous:            64 kB
        Swap:                  0 kB
        7ffd8a3f0000-7ffd8a3f2000 r-xp 00000000 00:00 0                          [vdso]
        Size:                  8 kB
        Rss:                   8 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        7f0000000000-7f0000100000 r--s 00000000 08:01 99                         /var/lib/trib-agent/shared.bin
        Size:               1024 kB
        Rss:                1024 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        7f0000100000-7f0000200000 r--p 00000000 08:01 98                         /tmp/old library.so (deleted)
        Size:               1024 kB
        Rss:                 512 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        7f0000200000-7f0000300000 r--p 00000000 08:01 97                         /usr/lib/x86_64-linux-gnu/libssl.so.3
        Size:               1024 kB
        Rss:                   0 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        7f0000300000-7f0000400000 r--p 00000000 08:01 96                         /usr/lib/x86_64-linux-gnu/libcrypto.so.3
        Size:               1024 kB
        Rss:                 128 kB
        Anonymous:             0 kB
        """

    @Test func picksOnlyMappingsOfCleanFilePages() {
        // Not the relocated data (anonymous pages), the writable segment, the
        // vDSO, a shared mapping, a deleted file, one with nothing resident,
        // nor one whose Swap field is missing.
        let picked = LoadedCodePages.releasable(smaps: Self.sample)
        #expect(picked == [LoadedCodePages.Mapping(start: 0x55d0_c000_0000, end: 0x55d0_c100_0000, path: "/usr/bin/trib-agent", residentKB: 2048)])
    }

    @Test func findsTheCodeOfThisProcessAndItsLibrariesAndKeepsWorkingAfterTheRelease() throws {
        let picked = LoadedCodePages.releasable()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        #expect(picked.contains { $0.path == executable }, "no mapping of \(executable) in \(picked.map(\.path))")
        #expect(picked.contains { $0.path.contains("/libc.so") }, "no mapping of libc in \(picked.map(\.path))")
        // Every one picked is a private, read-only mapping in /proc/self/maps.
        // (FileHandle: String(contentsOfFile:) stops early on /proc files.)
        let maps = String(decoding: try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps")).readToEnd() ?? Data(), as: UTF8.self)
            .split(separator: "\n")
        for mapping in picked {
            let range = String(mapping.start, radix: 16) + "-" + String(mapping.end, radix: 16)
            let line = maps.first { $0.hasPrefix(range + " ") }
            #expect(line.map { $0.contains(" r--p ") || $0.contains(" r-xp ") } == true, "\(range) \(mapping.path): \(line ?? "not mapped")")
        }

        // Code, relocated data and constants work after the release.
        func work() -> String {
            var counts: [String: Int] = [:]
            for word in "the agent keeps the pages the steady state uses".split(separator: " ") { counts[String(word), default: 0] += 1 }
            let pairs = counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let json = (try? JSONEncoder().encode(pairs)).map { String(decoding: $0, as: UTF8.self) } ?? "not encoded"
            return json + String(format: " %.3f", 2.0.squareRoot())
        }
        let before = work()
        #expect(LoadedCodePages.release() > 0)
        #expect(work() == before)
        #expect(LoadedCodePages.release() > 0, "a second release (the agent's, after the first connection) works too")
    }
}
#endif
