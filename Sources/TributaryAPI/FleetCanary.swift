/// Which agents a canary of N % reaches: an agent is in it when the
/// FNV-1a 64-bit hash of its agent id (UTF-8), modulo 100, is below N.
/// Deterministic (the same agents for every push at the same percentage,
/// growing as it grows) and computable by anyone from the agent id.
public enum FleetCanary {
    /// The agent's bucket, 0–99.
    public static func bucket(of agentID: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in agentID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int(hash % 100)
    }

    /// Whether a canary of `percent` (0–100) reaches `agentID`.
    public static func includes(_ agentID: String, percent: Int) -> Bool {
        bucket(of: agentID) < percent
    }
}
