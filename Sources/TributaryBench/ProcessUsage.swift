import Glibc

/// What this process has used so far, every thread counted. Benches that run
/// a node in-process take the CPU difference around a request: what the
/// request cost, which the machine's other load does not inflate the way it
/// inflates wall-clock time.
enum ProcessUsage {
    /// User + system CPU seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .nan }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The largest resident set so far, in MB (Linux reports KiB).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .nan }
        return Double(usage.ru_maxrss) * 1024 / 1_000_000
    }
}
