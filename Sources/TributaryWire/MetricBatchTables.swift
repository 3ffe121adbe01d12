/// The string table and label sets of one metric batch being encoded by
/// `MetricBatchEncoder`, built from prepared series: each series' strings
/// are interned by their precomputed hashes, each series (by nonzero id)
/// gets one label set. A value type so the encoder's hot loop works on a
/// local copy it owns uniquely (no exclusivity checks per access, as on a
/// class's properties).
struct MetricBatchTables {
    private(set) var strings: [[UInt8]] = []
    private var stringSlots = HashSlots()
    /// Per label set: the series id it was made for, where its pairs start
    /// in `pairs`, and its metric name's table index.
    private(set) var setIDs: [UInt64] = []
    private(set) var setStarts: [Int] = []
    private(set) var setNames: [Int] = []
    /// Table indexes of every label set's names and values, alternating.
    private(set) var pairs: [Int] = []
    private var setSlots = HashSlots()
    /// An upper bound of the tables' encoded bytes.
    private(set) var bound = 2 * RawWriter.maxVarintBytes

    mutating func reset() {
        strings.removeAll(keepingCapacity: true)
        stringSlots.reset()
        setIDs.removeAll(keepingCapacity: true)
        setStarts.removeAll(keepingCapacity: true)
        setNames.removeAll(keepingCapacity: true)
        pairs.removeAll(keepingCapacity: true)
        setSlots.reset()
        bound = 2 * RawWriter.maxVarintBytes
    }

    /// The label set of `series`, added (with its strings) if new.
    mutating func labelSet(of series: BatchSeries, limits: WireLimits) throws(WireError) -> Int {
        guard series.id != 0 else { return try add(series, limits: limits) }
        var slot = setSlots.firstSlot(for: series.id)
        while let candidate = setSlots.next(series.id, slot: &slot) {
            if setIDs[candidate] == series.id { return candidate }
        }
        let set = try add(series, limits: limits)
        setSlots.insert(set, hash: series.id, at: slot)
        return set
    }

    private mutating func add(_ series: BatchSeries, limits: WireLimits) throws(WireError) -> Int {
        let labelCount = series.labelCount
        guard labelCount <= limits.maxLabelsPerSet else {
            throw .limitExceeded(field: "series label count", value: UInt64(labelCount), limit: limits.maxLabelsPerSet)
        }
        guard setIDs.count < limits.maxLabelSets else {
            throw .limitExceeded(field: "batch label sets", value: UInt64(setIDs.count + 1), limit: limits.maxLabelSets)
        }
        let set = setIDs.count
        setIDs.append(series.id)
        setStarts.append(pairs.count)
        bound += RawWriter.maxVarintBytes * (1 + 2 * labelCount)
        for index in series.strings.indices {
            let bytes = series.strings[index]
            let isLabel = index < 2 * labelCount
            if isLabel, index % 2 == 0, bytes.count > limits.maxLabelNameBytes {
                throw .limitExceeded(field: "label name \(String(decoding: bytes.prefix(40), as: UTF8.self)) bytes", value: UInt64(bytes.count),
                                     limit: limits.maxLabelNameBytes)
            }
            let table = try intern(bytes, hash: series.hashes[index], limits: limits)
            if isLabel { pairs.append(table) } else { setNames.append(table) }
        }
        return set
    }

    /// The table index of `bytes`.
    private mutating func intern(_ bytes: [UInt8], hash: UInt64, limits: WireLimits) throws(WireError) -> Int {
        var slot = stringSlots.firstSlot(for: hash)
        while let candidate = stringSlots.next(hash, slot: &slot) {
            if strings[candidate] == bytes { return candidate }
        }
        guard bytes.count <= limits.maxStringBytes else {
            throw .limitExceeded(field: "string \"\(String(decoding: bytes.prefix(40), as: UTF8.self))…\" bytes", value: UInt64(bytes.count),
                                 limit: limits.maxStringBytes)
        }
        guard strings.count < limits.maxStrings else {
            throw .limitExceeded(field: "batch string table", value: UInt64(strings.count + 1), limit: limits.maxStrings)
        }
        stringSlots.insert(strings.count, hash: hash, at: slot)
        strings.append(bytes)
        bound += RawWriter.maxVarintBytes + bytes.count
        return strings.count - 1
    }

    /// Writes the string table and the label sets.
    func write(to writer: inout RawWriter) {
        writer.writeVarint(strings.count)
        for string in strings {
            writer.writeVarint(string.count)
            string.withUnsafeBytes { writer.writeBytes($0) }
        }
        writer.writeVarint(setIDs.count)
        for set in setStarts.indices {
            let end = set + 1 < setStarts.count ? setStarts[set + 1] : pairs.count
            writer.writeVarint((end - setStarts[set]) / 2)
            for index in setStarts[set]..<end { writer.writeVarint(pairs[index]) }
        }
    }
}
