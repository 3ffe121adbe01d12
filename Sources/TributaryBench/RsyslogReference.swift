import Foundation

/// rsyslog as the reference receiver for `trib bench agent`: Debian's
/// package unpacked into a private directory (it conflicts with
/// syslog-ng-core, which provides loggen) and run by hand with imptcp →
/// omfile on a free port.
struct RsyslogReference {
    let child: BenchChild
    let port: Int
    let output: String

    /// `$RSYSLOGD`, or an unpacked copy in `~/.cache/tributary/rsyslog`,
    /// downloading it with `apt-get download` the first time.
    static func locate() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["RSYSLOGD"] { return explicit }
        let cache = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/tributary/rsyslog")
        let binary = cache.appendingPathComponent("usr/sbin/rsyslogd").path
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let download = Process()
        download.executableURL = URL(fileURLWithPath: "/usr/bin/apt-get")
        // rsyslog and the two libraries Debian's syslog-ng-core system lacks.
        download.arguments = ["download", "rsyslog", "libestr0", "libfastjson4"]
        download.currentDirectoryURL = cache
        download.standardOutput = FileHandle.nullDevice
        download.standardError = FileHandle.nullDevice
        guard (try? download.run()) != nil else { return nil }
        download.waitUntilExit()
        let packages = ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).filter { $0.hasSuffix(".deb") }
        for package in packages {
            let unpack = Process()
            unpack.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg")
            unpack.arguments = ["-x", cache.appendingPathComponent(package).path, cache.path]
            guard (try? unpack.run()) != nil else { return nil }
            unpack.waitUntilExit()
        }
        return FileManager.default.isExecutableFile(atPath: binary) ? binary : nil
    }

    static func start(_ rsyslogd: String, directory: URL) throws -> RsyslogReference {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freePort()
        let output = directory.appendingPathComponent("out.log").path
        let modules = URL(fileURLWithPath: rsyslogd).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lib/x86_64-linux-gnu/rsyslog").path
        let config = directory.appendingPathComponent("rsyslog.conf").path
        try """
            global(workDirectory="\(directory.path)")
            module(load="imptcp")
            input(type="imptcp" address="127.0.0.1" port="\(port)")
            *.* action(type="omfile" file="\(output)" template="RSYSLOG_FileFormat")
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let root = URL(fileURLWithPath: rsyslogd).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let libraries = ["usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu"].map { root.appendingPathComponent($0).path }.joined(separator: ":")
        let child = try BenchChild(rsyslogd, ["-n", "-f", config, "-M", modules, "-i", directory.appendingPathComponent("rsyslogd.pid").path],
                                   environment: ["LD_LIBRARY_PATH": libraries])
        // Wait until it listens.
        let deadline = Date().addingTimeInterval(15)
        while !canConnect(port) {
            guard Date() < deadline, child.process.isRunning else {
                throw BenchChildError.failed("rsyslogd did not start:\n" + child.output.joined(separator: "\n"))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return RsyslogReference(child: child, port: port, output: output)
    }

    func stop() { child.stop() }

    /// Lines in rsyslog's output file.
    func linesWritten() -> Int {
        guard let handle = FileHandle(forReadingAtPath: output) else { return 0 }
        defer { try? handle.close() }
        var count = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return count
    }

    static func canConnect(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
