internal import CTributaryOpenSSL
import TributaryOpenSSLSupport
internal import CTributaryShims

/// An OpenSSL memory BIO: PEM text goes in and comes out through it. Owns the
/// `BIO*` and frees it in `deinit`.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty, writable BIO.
    init() throws {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLErrorQueue.failure("allocate a memory BIO") }
        pointer = bio
    }

    /// A BIO holding a copy of `text`. (`BIO_new_mem_buf` would only borrow
    /// the bytes, which Swift does not keep alive beyond a closure.)
    convenience init(text: String) throws {
        try self.init()
        let bytes = Array(text.utf8)
        guard bytes.isEmpty || BIO_write(pointer, bytes, Int32(bytes.count)) == Int32(bytes.count) else {
            throw OpenSSLErrorQueue.failure("fill a memory BIO")
        }
    }

    deinit {
        BIO_free(pointer)
    }

    /// Everything written to the BIO (and not yet read), as text.
    var text: String {
        var data: UnsafeMutablePointer<CChar>?
        let length = ctrib_pki_bio_get_mem_data(pointer, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
