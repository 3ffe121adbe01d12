extension Labels {
    /// A stream's identity as a number, stable across processes, machines
    /// and releases (FNV-1a 64 over `name\0value\0…` of the sorted labels),
    /// unlike Swift's per-process seeded `hashValue`. Used for placement and
    /// in block indexes; equal labels always give equal ids.
    public var streamID: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for label in self {
            for byte in label.name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
            for byte in label.value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
