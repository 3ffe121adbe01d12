import NIOCore

/// One file of the web console as the node serves it: the bytes, their
/// gzip form (compressed once, when the catalogue is built) and a strong
/// ETag of the content, so browsers revalidate with `If-None-Match` and
/// get a 304 instead of the file again.
public struct ConsoleAsset: Sendable {
    /// The file name under `/console/` (`app.js`).
    public let name: String
    public let contentType: String
    public let identity: ByteBuffer
    public let gzip: ByteBuffer
    /// `"<first 16 hex digits of SHA-256>"`, quotes included (RFC 9110 §8.8.3).
    public let etag: String

    public init(name: String, contentType: String, identity: ByteBuffer, gzip: ByteBuffer, etag: String) {
        self.name = name
        self.contentType = contentType
        self.identity = identity
        self.gzip = gzip
        self.etag = etag
    }
}
