import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 256-bit key kept in a file of its own: 32 raw bytes, or their base64 text (an optional
/// trailing newline allowed), so both `head -c 32 /dev/urandom` and `openssl rand -base64 32` make one.
///
/// A file other users can read or write is refused: whoever reads it reads every customer's data.
enum KeyFile {
    /// The key's length in bytes.
    static let keyByteCount = 32

    /// The key in the file at `path`, or nil when there is no such file.
    ///
    /// - Throws: `StoreError` `.unavailable` when the file cannot be read, is not a regular file,
    ///   is readable or writable by group or others, or holds no 256-bit key.
    static func load(_ path: String, what: String) throws -> SymmetricKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot read the \(what) \(path): \(errnoText())")
        }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot inspect the \(what) \(path): \(errnoText())") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw failure("the \(what) \(path) is not a regular file") }
        let mode = info.st_mode & 0o777
        guard mode & DataDirectory.groupAndOtherBits == 0 else {
            throw failure(
                "the \(what) \(path) can be read or written by other users (mode \(String(mode, radix: 8))); "
                    + "if no one else can have read it, chmod 600 it, else rotate to a new key")
        }
        guard info.st_size <= 256 else { throw failure("the \(what) \(path) is not a 256-bit key (\(info.st_size) bytes)") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count == bytes.count else {
            throw failure("cannot read the \(what) \(path): \(count < 0 ? errnoText() : "short read")")
        }
        guard let key = decode(Data(bytes)) else {
            throw failure("the \(what) \(path) holds neither 32 bytes nor their base64 text")
        }
        return key
    }

    /// A key from 32 raw bytes or their base64 text; nil for anything else.
    static func decode(_ data: Data) -> SymmetricKey? {
        if data.count == keyByteCount { return SymmetricKey(data: data) }
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        return decode(base64: text)
    }

    /// A key from base64 text (surrounding white space ignored); nil unless it decodes to 32 bytes.
    static func decode(base64 text: String) -> SymmetricKey? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: trimmed), raw.count == keyByteCount else { return nil }
        return SymmetricKey(data: raw)
    }

    /// Writes a new random key to `path` (mode 0600); see `replace`.
    static func create(at path: String, what: String) throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        try replace(at: path, with: key, what: what)
        return key
    }

    /// Writes `key` to `path` (mode 0600) all at once: into a private temporary file, synced, then
    /// renamed, so a crash leaves either the old file or a whole new one.
    static func replace(at path: String, with key: SymmetricKey, what: String) throws {
        let temporary = path + ".new"
        _ = unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, DataDirectory.privateFileMode)
        guard fd >= 0 else { throw failure("cannot create the \(what) \(temporary): \(errnoText())") }
        let written = key.withUnsafeBytes { bytes in
            fchmod(fd, DataDirectory.privateFileMode) == 0 ? write(fd, bytes.baseAddress, bytes.count) : -1
        }
        let synced = written == keyByteCount && fsync(fd) == 0
        let reason = errnoText()
        _ = close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let text = synced ? errnoText() : reason
            _ = unlink(temporary)
            throw failure("cannot write the \(what) \(path): \(text)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            _ = close(directoryFD)
        }
    }

    private static func failure(_ message: String) -> StoreError {
        StoreError(.unavailable, message)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
