import Crypto

/// The SHA-256 digest of a bearer token: what a principals file holds instead of the token.
///
/// Equality is constant-time (every byte is compared, with no early exit), so the time a lookup
/// takes tells nothing about how close a guessed token came to a real one.
public struct TokenDigest: Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// The digest of `token` (its UTF-8 bytes).
    public init(token: String) {
        bytes = Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Parses `sha256:<64 lower- or upper-case hex digits>`, as principals files spell it;
    /// nil for anything else.
    public init?(spelled text: String) {
        let prefix = "sha256:"
        guard text.hasPrefix(prefix) else { return nil }
        let hex = Array(text.utf8.dropFirst(prefix.utf8.count))
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// `sha256:<hex>`, the principals file's spelling.
    public var description: String {
        "sha256:" + bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// Whether both digests are equal, comparing every byte whatever the first difference.
    public func matches(_ other: TokenDigest) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for index in bytes.indices {
            difference |= bytes[index] ^ other.bytes[index]
        }
        return difference == 0
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}
