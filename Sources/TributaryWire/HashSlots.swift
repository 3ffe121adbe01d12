/// An open-addressing index from precomputed 64-bit hashes to small
/// integers (table positions), for interning in a batch encoder's hot
/// loop: `Dictionary` hashes its keys again with SipHash, which for keys
/// that are hashes already is pure cost. The caller confirms each
/// candidate itself, so colliding hashes are told apart:
///
/// ```
/// var slot = slots.firstSlot(for: hash)   // grows the table if needed
/// while let candidate = slots.next(hash, slot: &slot) {
///     if table[candidate] == key { return candidate }
/// }
/// slots.insert(table.count, hash: hash, at: slot)
/// ```
///
/// Linear probing, at most half full; `reset` keeps the capacity.
struct HashSlots {
    /// Per slot: the value + 1, or 0 when empty.
    private var values: [Int32] = []
    private var hashes: [UInt64] = []
    private(set) var count = 0

    mutating func reset() {
        guard count > 0 else { return }
        values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        count = 0
    }

    /// Where probing for `hash` starts; makes room for one insert first.
    @inline(__always)
    mutating func firstSlot(for hash: UInt64) -> Int {
        if (count + 1) * 2 > values.count { grow() }
        return Int(truncatingIfNeeded: Self.mix(hash)) & (values.count - 1)
    }

    /// The next value stored under `hash` from `slot` on, with `slot` moved
    /// past it; nil at the first empty slot, where `slot` then stays.
    @inline(__always)
    func next(_ hash: UInt64, slot: inout Int) -> Int? {
        let mask = values.count - 1
        while true {
            let stored = values[slot]
            if stored == 0 { return nil }
            let here = slot
            slot = (slot + 1) & mask
            if hashes[here] == hash { return Int(stored) - 1 }
        }
    }

    /// Stores `value` under `hash` in the empty `slot` that `next` stopped at.
    @inline(__always)
    mutating func insert(_ value: Int, hash: UInt64, at slot: Int) {
        precondition(value < Int(Int32.max) && values[slot] == 0, "BUG: HashSlots insert into a used slot or past Int32")
        values[slot] = Int32(truncatingIfNeeded: value) + 1
        hashes[slot] = hash
        count += 1
    }

    private mutating func grow() {
        let oldValues = values
        let oldHashes = hashes
        let capacity = max(64, oldValues.count * 2)
        values = Array(repeating: 0, count: capacity)
        hashes = Array(repeating: 0, count: capacity)
        let mask = capacity - 1
        for index in oldValues.indices where oldValues[index] != 0 {
            var slot = Int(truncatingIfNeeded: Self.mix(oldHashes[index])) & mask
            while values[slot] != 0 { slot = (slot + 1) & mask }
            values[slot] = oldValues[index]
            hashes[slot] = oldHashes[index]
        }
    }

    /// Spreads ids and weak hashes over the low bits the mask keeps.
    @inline(__always)
    private static func mix(_ hash: UInt64) -> UInt64 {
        let x = hash &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }
}
