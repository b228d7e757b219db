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

    /// Creates the directory if missing and locks it.
    ///
    /// - Parameter path: The data directory.
    /// - Throws: `StoreError` `.inUse` when another process (or another `DataDirectory` in this
    ///   process) holds the lock; `.unavailable` when the directory or lock file cannot be created.
    public static func open(_ path: String) throws -> DataDirectory {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.unavailable, "cannot create data directory \(path): \(error.localizedDescription)", cause: error)
        }
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

    private static func systemOpen(_ path: String) -> Int32 {
        #if canImport(Darwin)
        Darwin.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #else
        Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
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
