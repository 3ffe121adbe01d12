/// Natural ordering of label values for `sort_by_label`: runs of digits
/// compare as numbers, other runs as text (Prometheus uses facette/natsort).
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        let left = chunks(a), right = chunks(b)
        for index in left.indices {
            guard index < right.count else { return false }
            let x = left[index], y = right[index]
            if let xi = Int(x), let yi = Int(y) {
                if xi == yi {
                    if index == left.count - 1 { return true }
                    if index == right.count - 1 { return false }
                    continue
                }
                return xi < yi
            }
            if x == y {
                if index == left.count - 1 { return true }
                if index == right.count - 1 { return false }
                continue
            }
            return x < y
        }
        return false
    }

    private static func chunks(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var digits = false
        for character in text {
            let isDigit = character.isASCII && character.isNumber
            if !current.isEmpty, isDigit != digits {
                result.append(current)
                current = ""
            }
            digits = isDigit
            current.append(character)
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
