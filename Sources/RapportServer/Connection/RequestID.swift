import Synchronization

/// Request ids tie a call's log lines together and let callers quote them when reporting errors.
enum RequestID {
    /// The metadata key a caller sets to choose the request id.
    static let metadataKey = "x-request-id"

    /// A call's request id: the caller's, or a number the server made (formatted as hex when used).
    enum Source: Sendable {
        case given(String)
        case generated(UInt64)

        /// The id as logged and handed to handlers: the caller's, or the generated number in hex.
        var text: String {
            switch self {
            case .given(let id): id
            case .generated(let number): String(number, radix: 16)
            }
        }
    }

    /// The caller's request id when it is 1–128 characters of letters, digits, '.', '_' or '-';
    /// otherwise a fresh random one (so log lines never carry arbitrary caller text).
    static func from(metadata: [String: String]) -> Source {
        if !metadata.isEmpty, let given = metadata[metadataKey], isUsable(given) {
            return .given(given)
        }
        return .generated(next())
    }

    /// SplitMix64 over a randomly seeded counter: distinct, unpredictable-looking ids without a
    /// system call per call (the system generator reads the kernel's entropy every time).
    private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    private static func next() -> UInt64 {
        var z = counter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func isUsable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            }
    }
}
