import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Random 96-bit AES-GCM nonces, taken from a reserve of random bytes the kernel fills a few
/// kilobytes at a time.
///
/// `AES.GCM.Nonce()` asks the kernel for 8 random bytes at a time — two system calls per
/// sealed field, on the store's writer (benchmarks/JOURNAL.md). A nonce is not secret (it is
/// stored beside its ciphertext); it must only never repeat under one key, which random 96-bit
/// nonces from the kernel's generator give whether drawn one by one or a reserve at a time.
enum NonceReserve {
    /// The size of an AES-GCM nonce.
    static let nonceSize = 12
    /// Bytes drawn per refill: 341 nonces.
    static let refillSize = 341 * nonceSize

    private struct Reserve {
        var bytes: [UInt8] = []
        var offset = 0
    }

    private static let reserve = Mutex(Reserve())

    /// The next nonce; never one handed out before.
    static func next() throws -> AES.GCM.Nonce {
        let size = NonceReserve.nonceSize
        let bytes = reserve.withLock { reserve -> ArraySlice<UInt8> in
            if reserve.offset + size > reserve.bytes.count {
                reserve.bytes = randomBytes(refillSize)
                reserve.offset = 0
            }
            defer { reserve.offset += size }
            return reserve.bytes[reserve.offset..<reserve.offset + size]
        }
        return try AES.GCM.Nonce(data: bytes)
    }

    /// `count` bytes from the kernel's generator (/dev/urandom, which never blocks once the
    /// system has booted), or from `SystemRandomNumberGenerator` where it cannot be read.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        #if canImport(Glibc)
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            var filled = 0
            while filled < count {
                let read = bytes.withUnsafeMutableBytes { buffer -> Int in
                    guard let start = buffer.baseAddress else { return -1 }
                    return Glibc.read(descriptor, start + filled, count - filled)
                }
                if read > 0 {
                    filled += read
                } else if read < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            if filled == count { return bytes }
        }
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        return bytes
    }
}
