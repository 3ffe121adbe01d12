import NIOCore
import TributaryCompression
import TributaryOpenSSLSupport

/// The web console's files, compiled into the binary (SwiftPM's
/// `.embedInCode`: no files to install, nothing fetched at run time) and
/// gzip-compressed once at first use. The shell (`index.html`) is served
/// for every page path (`ConsolePage`); the browser's module loader then
/// asks for the rest under `/console/`.
public enum ConsoleAssets {
    /// Every asset by name, built on first use.
    public static let all: [String: ConsoleAsset] = build()

    /// The page every console path answers with.
    public static var shell: ConsoleAsset {
        guard let shell = all["index.html"] else { preconditionFailure("BUG: the console's index.html is not embedded") }
        return shell
    }

    /// The uncompressed and gzip sizes of every asset, for `trib bench console`.
    public static var totalBytes: (identity: Int, gzip: Int) {
        all.values.reduce((0, 0)) { ($0.0 + $1.identity.readableBytes, $0.1 + $1.gzip.readableBytes) }
    }

    private static func build() -> [String: ConsoleAsset] {
        let files: [(String, [UInt8])] = [
            ("index.html", PackageResources.index_html),
            ("console.css", PackageResources.console_css),
            ("app.js", PackageResources.app_js),
            ("api.js", PackageResources.api_js),
            ("dom.js", PackageResources.dom_js),
            ("timerange.js", PackageResources.timerange_js),
            ("chart.js", PackageResources.chart_js),
            ("explore.js", PackageResources.explore_js),
            ("graph.js", PackageResources.graph_js),
            ("patterns.js", PackageResources.patterns_js),
            ("fleet.js", PackageResources.fleet_js),
            ("cluster.js", PackageResources.cluster_js),
            ("alerts.js", PackageResources.alerts_js),
            ("favicon.svg", PackageResources.favicon_svg),
            ("completion.js", PackageResources.completion_js),
            ("queryerror.js", PackageResources.queryerror_js),
        ]
        let deflater = Deflater(level: .smallest, format: .gzip)
        var assets: [String: ConsoleAsset] = [:]
        for (name, bytes) in files {
            var gzip = ByteBuffer()
            bytes.withUnsafeBytes { _ = deflater.compress($0, appendingTo: &gzip) }
            let etag = "\"" + String(SHA256Digest.hex(bytes).prefix(16)) + "\""
            assets[name] = ConsoleAsset(name: name, contentType: contentType(of: name), identity: ByteBuffer(bytes: bytes), gzip: gzip, etag: etag)
        }
        return assets
    }

    static func contentType(of name: String) -> String {
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if name.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if name.hasSuffix(".svg") { return "image/svg+xml" }
        return "application/octet-stream"
    }
}
