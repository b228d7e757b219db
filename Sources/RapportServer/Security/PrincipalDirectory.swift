import RapportAccess

/// The principals the server knows and how each proves itself: token digests and client
/// certificate names. Immutable; `Authenticator` swaps a whole directory on reload.
public struct PrincipalDirectory: Sendable {
    /// One known principal.
    public struct Entry: Sendable {
        public let principal: Principal
        /// Digests of the bearer tokens that prove it.
        public let tokenDigests: [TokenDigest]
        /// Client certificate subject common names or SAN DNS names / URIs that prove it.
        public let certificateNames: Set<String>
        /// Calls it may have in flight at once, across all its connections.
        public let maxConcurrentCalls: Int

        public init(principal: Principal, tokenDigests: [TokenDigest], certificateNames: Set<String>, maxConcurrentCalls: Int) {
            self.principal = principal
            self.tokenDigests = tokenDigests
            self.certificateNames = certificateNames
            self.maxConcurrentCalls = maxConcurrentCalls
        }
    }

    public let entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The entry whose tokens include one with `digest`. Every digest of every entry is compared
    /// (no early exit), so the time taken does not depend on which one matched, or how nearly.
    public func entry(forToken digest: TokenDigest) -> Entry? {
        var found: Entry?
        for entry in entries {
            for candidate in entry.tokenDigests where candidate.matches(digest) {
                found = entry
            }
        }
        return found
    }

    /// The entry one of the certificate's names maps to (names are public, so no constant time needed).
    public func entry(forCertificateNames names: [String]) -> Entry? {
        for name in names {
            if let entry = entries.first(where: { $0.certificateNames.contains(name) }) {
                return entry
            }
        }
        return nil
    }
}
