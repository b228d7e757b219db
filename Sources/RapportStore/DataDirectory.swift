import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The daemon's data directory, held under an exclusive lock so only one daemon uses it at a time.
///
/// The lock is an `flock(LOCK_EX | LOCK_NB)` on `rapportd.lock`, which also holds the owner's pid.
/// `flock` locks belong to an open file description, so a second `open` of the same directory
/// fails even within the same process. The kernel releases the lock if the process dies.
///
/// The directory holds customers' personal data and the page-token secret, so it is the daemon
/// user's alone: created 0700 and its files 0600 whatever the umask, group and other bits of an
/// existing directory and files taken away at open, and a directory other users can write (who
/// could swap its files) refused.
public final class DataDirectory: Sendable {
    /// The name of the lock file inside the directory.
    public static let lockFileName = "rapportd.lock"

    /// The directory's path, as given to `open`.
    public let path: String
    /// The locked file descriptor; nil once closed.
    private let lockDescriptor: Mutex<Int32?>

    private init(path: String, lockDescriptor: Int32) {
        self.path = path
        self.lockDescriptor = Mutex(lockDescriptor)
    }

    deinit {
        close()
    }

    /// The path of a file inside the directory.
    public func filePath(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// Whether this instance still holds the lock.
    public var isOpen: Bool {
        lockDescriptor.withLock { $0 != nil }
    }

    /// Creates the directory if missing (0700), makes it the owner's alone and locks it.
    ///
    /// - Parameter path: The data directory.
    /// - Throws: `StoreError` `.inUse` when another process (or another `DataDirectory` in this
    ///   process) holds the lock; `.unavailable` when the directory or lock file cannot be
    ///   created, or other users can write the directory.
    public static func open(_ path: String) throws -> DataDirectory {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.unavailable, "cannot create data directory \(path): \(error.localizedDescription)", cause: error)
        }
        try makePrivateDirectory(path)
        let lockPath = (path as NSString).appendingPathComponent(lockFileName)
        let fd = Self.systemOpen(lockPath)
        guard fd >= 0 else {
            throw StoreError(.unavailable, "cannot open lock file \(lockPath): \(Self.errnoText())")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let lockErrno = errno
            let holder = Self.readPID(fd)
            _ = systemClose(fd)
            if lockErrno == EWOULDBLOCK || lockErrno == EAGAIN {
                let pid = holder.map { "pid \($0)" } ?? "pid unknown"
                throw StoreError(.inUse, "data directory \(path) is in use by another rapportd (\(pid))")
            }
            throw StoreError(.unavailable, "cannot lock \(lockPath): \(String(cString: strerror(lockErrno)))")
        }
        // A lock file left by an earlier version (or created under a looser umask) is tightened.
        guard fchmod(fd, privateFileMode) == 0 else {
            let text = Self.errnoText()
            _ = systemClose(fd)
            throw StoreError(.unavailable, "cannot make lock file \(lockPath) private (chmod 600): \(text)")
        }
        let pidText = "\(getpid())\n"
        let written = pidText.utf8CString.withUnsafeBufferPointer { buffer in
            // Without the trailing NUL.
            ftruncate(fd, 0) == 0 ? pwrite(fd, buffer.baseAddress, buffer.count - 1, 0) : -1
        }
        guard written == pidText.utf8.count else {
            let text = Self.errnoText()
            _ = systemClose(fd)
            throw StoreError(.unavailable, "cannot write lock file \(lockPath): \(text)")
        }
        return DataDirectory(path: path, lockDescriptor: fd)
    }

    /// Releases the lock. Idempotent.
    public func close() {
        lockDescriptor.withLock { fd in
            guard let descriptor = fd else { return }
            _ = ftruncate(descriptor, 0)
            _ = Self.systemClose(descriptor)
            fd = nil
        }
    }

    /// The mode of every file in the directory: the daemon user's alone.
    static let privateFileMode: mode_t = 0o600
    /// Permission bits of group and other users.
    static let groupAndOtherBits: mode_t = 0o077

    /// Makes the file `name` in the directory the owner's alone (0600), creating it empty first
    /// when `creating` and it is missing.
    ///
    /// SQLite creates `-wal` and `-shm` with the database file's permission bits, so a database
    /// file created here 0600 before SQLite opens it keeps all three private, whatever the umask.
    ///
    /// - Throws: `StoreError` `.unavailable` when the file cannot be created or changed.
    public func makePrivateFile(_ name: String, creating: Bool) throws {
        let path = filePath(name)
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw StoreError(.unavailable, "\(path) is not a regular file; move it out of the data directory")
            }
            guard info.st_mode & Self.groupAndOtherBits != 0 else { return }
            guard chmod(path, Self.privateFileMode) == 0 else {
                throw StoreError(.unavailable, "cannot make \(path) private (chmod 600): \(Self.errnoText())")
            }
            return
        }
        guard errno == ENOENT else {
            throw StoreError(.unavailable, "cannot inspect \(path): \(Self.errnoText())")
        }
        guard creating else { return }
        let fd = Self.systemOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            throw StoreError(.unavailable, "cannot create \(path): \(Self.errnoText())")
        }
        defer { _ = Self.systemClose(fd) }
        // The umask cannot widen `open`'s mode, but an explicit mode says what is meant.
        guard fchmod(fd, Self.privateFileMode) == 0 else {
            throw StoreError(.unavailable, "cannot make \(path) private (chmod 600): \(Self.errnoText())")
        }
    }

    /// Refuses a directory other users can write, and takes group and other bits off one they
    /// can read or enter.
    private static func makePrivateDirectory(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError(.unavailable, "cannot inspect data directory \(path): \(errnoText())")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw StoreError(.unavailable, "data directory \(path) is not a directory")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o022 == 0 else {
            throw StoreError(
                .unavailable,
                "data directory \(path) is writable by other users (mode \(String(mode, radix: 8))), who could replace "
                    + "its files; make it the daemon user's alone (chmod 700 \(path)) and start again")
        }
        guard mode & groupAndOtherBits != 0 else { return }
        guard chmod(path, 0o700) == 0 else {
            throw StoreError(
                .unavailable,
                "cannot make data directory \(path) private (chmod 700): \(errnoText()); it holds personal data")
        }
    }

    private static func systemOpen(_ path: String, _ flags: Int32 = O_RDWR | O_CREAT | O_CLOEXEC) -> Int32 {
        #if canImport(Darwin)
        Darwin.open(path, flags, privateFileMode)
        #else
        Glibc.open(path, flags, privateFileMode)
        #endif
    }

    private static func systemClose(_ fd: Int32) -> Int32 {
        #if canImport(Darwin)
        Darwin.close(fd)
        #else
        Glibc.close(fd)
        #endif
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
