import Synchronization

/// What a connection remembers of its caller's credentials, so a token is hashed and looked up
/// once per connection and directory generation rather than on every call.
final class ConnectionCredentials: Sendable {
    /// How a call's caller proved (or failed to prove) who it is.
    enum Outcome: Sendable {
        /// No credential at all.
        case none
        /// A verified client certificate no principal claims: as good as none (open methods only).
        case unclaimedCertificate
        /// A credential that proves no known principal; the reason names no secret.
        case unknown(reason: String)
        case known(PrincipalDirectory.Entry)
    }

    private struct Cache {
        /// The last `authorization` value seen, as sent: most clients send the same one on every call.
        var header: String?
        var tokenGeneration: UInt64 = 0
        var tokenOutcome: Outcome = .none
        /// The verified client certificate's names; nil without one.
        var certificateNames: [String]?
        var certificateGeneration: UInt64 = 0
        var certificateOutcome: Outcome = .none
    }

    private let cache = Mutex(Cache())
    private let authenticator: Authenticator

    init(authenticator: Authenticator) {
        self.authenticator = authenticator
    }

    /// Records the connection's verified client certificate, once its TLS handshake is done.
    func adoptCertificate(names: [String]) {
        cache.withLock { $0.certificateNames = names }
    }

    /// The caller of a call with `metadata`: its bearer token when it sends one (an invalid one is
    /// refused, whatever certificate the connection has), otherwise the client certificate.
    func outcome(for metadata: [String: String]) -> Outcome {
        if let header = metadata.isEmpty ? nil : metadata[Self.authorizationKey] {
            return outcome(forHeader: header)
        }
        return certificateOutcome()
    }

    static let authorizationKey = "authorization"

    /// The outcome of an `authorization` value, parsed, hashed and looked up only when it differs
    /// from the last one (or the principals were reloaded since).
    private func outcome(forHeader header: String) -> Outcome {
        let snapshot = authenticator.snapshot
        let cached = cache.withLock { cache -> Outcome? in
            guard cache.tokenGeneration == snapshot.generation, cache.header == header else { return nil }
            return cache.tokenOutcome
        }
        if let cached { return cached }
        let outcome: Outcome =
            if let token = Self.bearerToken(in: header) {
                snapshot.directory.entry(forToken: TokenDigest(token: token)).map { .known($0) }
                    ?? .unknown(reason: "the bearer token is not known")
            } else {
                .unknown(reason: "the authorization metadata is not 'Bearer <token>'")
            }
        cache.withLock { cache in
            cache.header = header
            cache.tokenGeneration = snapshot.generation
            cache.tokenOutcome = outcome
        }
        return outcome
    }

    private func certificateOutcome() -> Outcome {
        let snapshot = authenticator.snapshot
        return cache.withLock { cache in
            guard let names = cache.certificateNames else { return .none }
            if cache.certificateGeneration != snapshot.generation {
                cache.certificateOutcome = snapshot.directory.entry(forCertificateNames: names).map { .known($0) }
                    ?? .unclaimedCertificate
                cache.certificateGeneration = snapshot.generation
            }
            return cache.certificateOutcome
        }
    }

    /// The token of `Bearer <token>` (the scheme case-insensitive, as HTTP's); nil otherwise.
    /// Works on the UTF-8 bytes: Foundation's string search is far dearer than the call it guards.
    static func bearerToken(in header: String) -> String? {
        let bytes = header.utf8
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count else { return nil }
        for (byte, expected) in zip(bytes, scheme) {
            // ASCII letters match either case; the space must be a space.
            let folded = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            guard folded == expected else { return nil }
        }
        let token = bytes.dropFirst(scheme.count).drop { $0 == 0x20 }
        guard !token.isEmpty, !token.contains(0x20) else { return nil }
        return String(Substring(token))
    }
}
