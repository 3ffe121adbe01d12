import Foundation
import TributaryHTTPClient
import TributaryTestSupport

/// Test helper: POSTs push bodies to a node and runs Python clients
/// against it (the real shippers' libraries, installed by `.ci/run`).
enum PushHTTP {
    static let token = "token-for-acme"

    static func post(port: Int, _ path: String, body: [UInt8], headers: [String: String], token: String? = PushHTTP.token) throws -> NodeHTTP.Response {
        var status = 0
        var answer: [UInt8] = []
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        try HTTPGetClient.request(method: "POST", host: "127.0.0.1", port: port, path: path, headers: all, requestBody: body,
                                  tls: try NodeHTTP.tls(port: port), timeoutSeconds: 60, status: { status = $0 }, body: { answer += $0 })
        return NodeHTTP.Response(status: status, body: String(decoding: answer, as: UTF8.self))
    }

    /// Runs `script` with python3 and the environment's extra variables.
    static func python(_ script: String, environment: [String: String] = [:], timeout: Double = 120) throws -> ProcessResult {
        let variables = environment.map { "\($0.key)=\($0.value)" }
        return try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), variables + ["python3", "-c", script], timeout: timeout)
    }

    /// A file descriptor set of Loki's push.proto and Prometheus'
    /// remote.proto (Debian's protoc), for Python's protobuf to build
    /// the messages from without generated code.
    static func descriptorSet(in directory: URL) throws -> String {
        let output = directory.appendingPathComponent("push.desc").path
        let protoc = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "protoc", "--include_imports", "--descriptor_set_out=\(output)", "-I", RepositoryPaths.root.appendingPathComponent("proto/push").path,
            "loki/push.proto", "prometheus/remote.proto",
        ])
        guard protoc.status == 0 else { throw PushHTTPError.protoc(protoc.stderr) }
        return output
    }

    /// Nanoseconds since the epoch, now.
    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    enum PushHTTPError: Error { case protoc(String) }
}
