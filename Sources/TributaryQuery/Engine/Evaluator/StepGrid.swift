/// The times one evaluation runs at: start, start + step, … ≤ end (ns).
/// The top-level query has one grid; each subquery its own, aligned to
/// absolute multiples of its step as Prometheus aligns them.
struct StepGrid: Equatable {
    let start: Int64
    let step: Int64
    let count: Int

    init(start: Int64, step: Int64, count: Int) {
        self.start = start
        self.step = step
        self.count = count
    }

    var end: Int64 { start + Int64(count - 1) * step }

    @inline(__always)
    func time(_ index: Int) -> Int64 { start + Int64(index) * step }

    var isInstant: Bool { count == 1 }
}
