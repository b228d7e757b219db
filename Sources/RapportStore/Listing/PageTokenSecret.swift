import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The key page tokens are sealed with, kept in the data directory as `page-tokens.key`: 32 random
/// bytes, mode 0600, made on the first start.
///
/// Kept on disk so that tokens stay valid across restarts. Whoever reads it can forge and read
/// tokens, so a file other users can read or write is refused rather than used; so is one of
/// another size (not a file rapportd wrote). Removing it (rapportd then makes a new one) makes
/// every token issued before INVALID_ARGUMENT; clients start their listing again.
enum PageTokenSecret {
    /// The file's name inside the data directory.
    static let fileName = "page-tokens.key"

    /// The codec sealing with the directory's key, made first if the directory has none.
    ///
    /// - Throws: `StoreError` `.unavailable` when the file cannot be read or written, or is
    ///   refused (its mode or size).
    static func codec(in directory: DataDirectory) throws -> PageTokenCodec {
        let path = directory.filePath(fileName)
        if let key = try load(path) {
            return PageTokenCodec(key: key)
        }
        return PageTokenCodec(key: try KeyFile.create(at: path, what: "page-token secret"))
    }

    /// The key in the file at `path`, or nil when there is no such file.
    private static func load(_ path: String) throws -> SymmetricKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot read the page-token secret \(path): \(errnoText())")
        }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot inspect the page-token secret \(path): \(errnoText())") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw failure("the page-token secret \(path) is not a regular file; remove it and start again (a new secret is made)")
        }
        let mode = info.st_mode & 0o777
        guard mode & DataDirectory.groupAndOtherBits == 0 else {
            throw failure(
                "the page-token secret \(path) can be read or written by other users (mode \(String(mode, radix: 8))), "
                    + "so page tokens could be forged: remove it and start again to make a new one (page tokens issued "
                    + "so far are then refused and clients restart their listings), or, if no one else can have read it, chmod 600 it")
        }
        guard info.st_size == PageTokenCodec.keyByteCount else {
            throw failure(
                "the page-token secret \(path) holds \(info.st_size) bytes, not \(PageTokenCodec.keyByteCount): it is not "
                    + "a file rapportd wrote; remove it and start again to make a new one (page tokens issued so far are then refused)")
        }
        var bytes = [UInt8](repeating: 0, count: PageTokenCodec.keyByteCount)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count == PageTokenCodec.keyByteCount else {
            throw failure("cannot read the page-token secret \(path): \(count < 0 ? errnoText() : "short read")")
        }
        return SymmetricKey(data: bytes)
    }

    private static func failure(_ message: String) -> StoreError {
        StoreError(.unavailable, message)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
