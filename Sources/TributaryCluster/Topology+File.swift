import Foundation
import TributaryDurability

extension Topology {
    /// Writes the canonical text to `path` (through a temporary file and a
    /// rename, so a node reloading at that moment reads the old or the new
    /// file, never half of one).
    public func write(to path: String) throws {
        let text = """
            # Tributary cluster topology: the same file on every node (node.yaml cluster.topology).
            # Written by trib cluster; epochs only ever start at buckets that had not begun.
            # topology \(hash)

            """ + yaml
        try DurableFile.replace(path, withText: text)
    }
}
