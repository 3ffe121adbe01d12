import Foundation
import TributaryTestSupport

/// A small tmpfs that a directory of the chaos test lives on (as a symbolic
/// link), so the test can fill it to the last byte and free it again: a real
/// ENOSPC for whoever writes there. Root only.
final class ChaosTmpfs: @unchecked Sendable {
    let mountPoint: String
    private var ballast: FileHandle?

    static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")
    }

    /// Mounts a tmpfs of `megabytes` and links `directory` to it.
    init(linking directory: String, megabytes: Int) throws {
        mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("trib-chaos-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try ProcessResult.run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", mountPoint])
        guard mounted.status == 0 else { throw ChaosTmpfsError.mount(mounted.stderr) }
        try FileManager.default.createSymbolicLink(atPath: directory, withDestinationPath: mountPoint)
    }

    /// Writes a ballast file until the file system has no byte left.
    func fill() throws {
        let path = mountPoint + "/ballast"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ChaosTmpfsError.mount("cannot create \(path)") }
        for size in [1 << 20, 64 << 10, 4096, 512, 64, 1] {
            let block = Data(repeating: 7, count: size)
            while (try? handle.write(contentsOf: block)) != nil {}
        }
        ballast = handle
    }

    /// Removes the ballast: space is back.
    func free() {
        try? ballast?.close()
        ballast = nil
        try? FileManager.default.removeItem(atPath: mountPoint + "/ballast")
    }

    /// Unmounts (lazily if something still holds it open).
    func unmount() {
        free()
        if (try? ProcessResult.run(URL(fileURLWithPath: "/bin/umount"), [mountPoint]).status) != 0 {
            _ = try? ProcessResult.run(URL(fileURLWithPath: "/bin/umount"), ["-l", mountPoint])
        }
    }
}

enum ChaosTmpfsError: Error {
    case mount(String)
}
