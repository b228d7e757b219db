/// Request ids tie a call's log lines together and let callers quote them when reporting errors.
enum RequestID {
    /// The metadata key a caller sets to choose the request id.
    static let metadataKey = "x-request-id"

    /// The caller's request id when it is 1–128 characters of letters, digits, '.', '_' or '-';
    /// otherwise a fresh random one (so log lines never carry arbitrary caller text).
    static func from(metadata: [String: String]) -> String {
        if let given = metadata[metadataKey], isUsable(given) {
            return given
        }
        return String(UInt64.random(in: .min ... .max), radix: 16)
    }

    private static func isUsable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            }
    }
}
