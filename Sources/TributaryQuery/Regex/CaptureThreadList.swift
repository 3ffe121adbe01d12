/// `ThreadList` with the capture slots of each thread, stored flat
/// (`slotCount` integers per program position) so that adding a thread
/// never allocates.
struct CaptureThreadList {
    private var members: [Int] = []
    private var positions: [Int]
    private var slotStorage: [Int]
    private let slotCount: Int

    init(capacity: Int, slotCount: Int) {
        self.slotCount = slotCount
        positions = Array(repeating: 0, count: capacity)
        slotStorage = Array(repeating: -1, count: capacity * slotCount)
        members.reserveCapacity(capacity)
    }

    var isEmpty: Bool { members.isEmpty }
    var memberCount: Int { members.count }

    func pc(at member: Int) -> Int { members[member] }

    /// False when `pc` is already present (an earlier thread, of higher priority, holds it).
    mutating func insert(_ pc: Int, slots: [Int]) -> Bool {
        let slot = positions[pc]
        if slot < members.count, members[slot] == pc { return false }
        positions[pc] = members.count
        members.append(pc)
        let base = pc * slotCount
        for index in 0..<slotCount { slotStorage[base + index] = slots[index] }
        return true
    }

    func slots(at member: Int) -> [Int] {
        let base = members[member] * slotCount
        return Array(slotStorage[base..<(base + slotCount)])
    }

    func copySlots(at member: Int, into target: inout [Int]) {
        let base = members[member] * slotCount
        for index in 0..<slotCount { target[index] = slotStorage[base + index] }
    }

    mutating func removeAll() { members.removeAll(keepingCapacity: true) }
}
