/// How close two configuration keys are, to tell a typo (`tsl:` for `tls:`)
/// from a key that simply does not exist.
enum KeySpelling {
    /// Edits (insert, delete, substitute, swap two neighbours) that turn
    /// `a` into `b`: the optimal string alignment distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased().utf8), b = Array(b.lowercased().utf8)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    /// Whether `typed` is probably a misspelling of `intended`.
    static func isLikelyTypo(_ typed: String, of intended: String) -> Bool {
        guard typed != intended else { return false }
        let allowed = intended.count <= 4 ? 1 : 2
        return distance(typed, intended) <= allowed
    }

    /// The candidate `typed` most likely stands for, if any.
    static func suggestion(for typed: String, among candidates: some Sequence<String>) -> String? {
        candidates.filter { isLikelyTypo(typed, of: $0) }.min { distance(typed, $0) < distance(typed, $1) }
    }
}
