import NIOCore
import TributaryWire

/// One column of a mode-3 section (`TemplateColumnsWriter`): the values of
/// every template variable that shares it, in line order.
///
/// A value is stored as one of three kinds:
/// - a copy of an earlier variable of the same line (BGL names its node
///   twice per line, HDFS a block in its id and its file name), by distance;
/// - numeric: its shape (`NumericShape`) and one number per digit run, the
///   n-th runs of all the column's values making the column's n-th stream
///   (`NumberStreamCoding`; streams per shape instead were 4% larger on
///   Loghub: a value's padding changes its shape and broke the differences);
/// - a string of the column's dictionary, by reference (0 = the next new
///   string, d = string d-1).
struct ValueColumn {
    enum Entry {
        case value([UInt8])
        /// The same bytes as the variable `distance` places earlier in the line.
        case copy(distance: Int)
    }

    /// The chunk's numeric shapes, shared by all columns.
    struct Shapes {
        var list: [[UInt8]] = []
        var index: [[UInt8]: Int] = [:]

        mutating func id(of shape: [UInt8]) -> Int {
            if let known = index[shape] { return known }
            index[shape] = list.count
            list.append(shape)
            return list.count - 1
        }
    }

    struct Encoded {
        /// Per value: 0 a string, 1 a copy, 2 + s numeric with shape s.
        var kinds = ByteBuffer()
        var stringRefs = ByteBuffer()
        /// Per copy: its distance minus one.
        var copies = ByteBuffer()
        var strings: [[UInt8]] = []
        /// Per digit run, the numbers in line order.
        var streams: [[UInt64]] = []
    }

    var entries: [Entry] = []

    func encode(shapes: inout Shapes) -> Encoded {
        var encoded = Encoded()
        var stringIndex: [[UInt8]: Int] = [:]
        var shape: [UInt8] = []
        var numbers: [UInt64] = []
        for entry in entries {
            switch entry {
            case .copy(let distance):
                encoded.kinds.writeVarint(1)
                encoded.copies.writeVarint(distance - 1)
            case .value(let value):
                let numeric = value.withUnsafeBufferPointer { NumericShape.split($0, shape: &shape, numbers: &numbers, digitsInWords: true) }
                guard numeric else {
                    encoded.kinds.writeVarint(0)
                    if let known = stringIndex[value] {
                        encoded.stringRefs.writeVarint(known + 1)
                    } else {
                        stringIndex[value] = encoded.strings.count
                        encoded.strings.append(value)
                        encoded.stringRefs.writeVarint(0)
                    }
                    continue
                }
                encoded.kinds.writeVarint(shapes.id(of: shape) + 2)
                if encoded.streams.count < numbers.count {
                    encoded.streams += Array(repeating: [], count: numbers.count - encoded.streams.count)
                }
                for (run, number) in numbers.enumerated() { encoded.streams[run].append(number) }
            }
        }
        return encoded
    }
}
