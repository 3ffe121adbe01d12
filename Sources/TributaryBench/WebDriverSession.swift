import Foundation
import TributaryFreePort
import TributaryHTTPClient

/// A headless Chromium driven over the W3C WebDriver protocol
/// (https://www.w3.org/TR/webdriver2/) through Debian's `chromedriver`:
/// the few commands `trib bench console` needs (new session, navigate,
/// execute a script, end), as JSON over HTTP on loopback.
final class WebDriverSession {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let driver: Process
    private let port: Int
    private let id: String

    /// Starts `chromedriver` on a free port and opens a session of `chromium`.
    init(chromedriver: String, chromium: String) throws {
        for program in [chromedriver, chromium] where !FileManager.default.isExecutableFile(atPath: program) {
            throw Failure(description: "\(program) is missing: apt-get install chromium chromium-driver (or pass --chromium/--chromedriver)")
        }
        port = try FreePort.find()
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: chromedriver)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": [
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--ignore-certificate-errors", "--window-size=1400,1000",
                     "--disable-gpu"],
        ]]]]
        var answer: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(20)
        while true {
            do {
                answer = try Self.call(port: port, "POST", "/session", capabilities)
                break
            } catch where Date() < deadline {
                Thread.sleep(forTimeInterval: 0.2)
            } catch {
                Self.stop(driver, port: port)
                throw error
            }
        }
        guard let value = answer["value"] as? [String: Any], let session = value["sessionId"] as? String else {
            Self.stop(driver, port: port)
            throw Failure(description: "chromedriver opened no session: \(answer)")
        }
        id = session
        // A script that never calls back fails after 60 s instead of the default 30.
        _ = try Self.call(port: port, "POST", "/session/\(id)/timeouts", ["script": 60_000])
    }

    func navigate(_ url: String) throws {
        _ = try Self.call(port: port, "POST", "/session/\(id)/url", ["url": url])
    }

    /// Runs a synchronous script and returns its result.
    func execute(_ script: String, _ arguments: [Any] = []) throws -> Any? {
        try Self.call(port: port, "POST", "/session/\(id)/execute/sync", ["script": script, "args": arguments])["value"]
    }

    /// Runs a script whose last argument is the callback that ends it.
    func executeAsync(_ script: String, _ arguments: [Any] = []) throws -> Any? {
        try Self.call(port: port, "POST", "/session/\(id)/execute/async", ["script": script, "args": arguments])["value"]
    }

    /// Polls `script` until it returns true.
    func wait(_ what: String, seconds: Double = 30, until script: String) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try execute(script) as? Bool == true { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure(description: "timed out after \(Int(seconds)) s waiting for \(what)")
    }

    /// Ends the session (which closes Chromium) and the driver.
    func close() {
        _ = try? Self.call(port: port, "DELETE", "/session/\(id)", nil)
        Self.stop(driver, port: port)
    }

    /// Stops `chromedriver` without relying on SIGTERM: a process that
    /// Foundation starts from a thread of Swift's concurrency pool (or one
    /// spawned from it) inherits that thread's signal mask, which blocks
    /// SIGTERM (swift-corelibs-foundation issue 4772), so `terminate()`
    /// alone left the driver running and `waitUntilExit()` waiting forever.
    /// Asks the driver to shut down (its `/shutdown` command), then sends
    /// SIGKILL, which no mask blocks, if it is still there after 5 s.
    private static func stop(_ driver: Process, port: Int) {
        guard driver.isRunning else { return }
        var code = 0
        try? HTTPGetClient.request(method: "GET", host: "127.0.0.1", port: port, path: "/shutdown", headers: [:], timeoutSeconds: 5,
                                   deadline: ContinuousClock.now + .seconds(5), status: { code = $0 }, body: { _ in })
        let deadline = Date().addingTimeInterval(code == 200 ? 5 : 0)
        while driver.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
        driver.waitUntilExit()
    }

    private static func call(port: Int, _ method: String, _ path: String, _ body: [String: Any]?) throws -> [String: Any] {
        let bytes = try body.map { [UInt8](try JSONSerialization.data(withJSONObject: $0)) } ?? []
        var code = 0
        var answer: [UInt8] = []
        try HTTPGetClient.request(method: method, host: "127.0.0.1", port: port, path: path, headers: ["Content-Type": "application/json"],
                                  requestBody: bytes, timeoutSeconds: 30, status: { code = $0 }, body: { answer += $0 })
        let object = (try? JSONSerialization.jsonObject(with: Data(answer))) as? [String: Any] ?? [:]
        guard code == 200 else {
            let message = ((object["value"] as? [String: Any])?["message"] as? String) ?? String(decoding: answer, as: UTF8.self)
            throw Failure(description: "WebDriver \(method) \(path): \(code) \(message.prefix(300))")
        }
        return object
    }
}

@available(*, unavailable)
extension WebDriverSession: Sendable {}
