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
        var token: String?
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
            guard let token = Self.bearerToken(in: header) else {
                return .unknown(reason: "the authorization metadata is not 'Bearer <token>'")
            }
            return outcome(forToken: token)
        }
        return certificateOutcome()
    }

    static let authorizationKey = "authorization"

    private func outcome(forToken token: String) -> Outcome {
        let snapshot = authenticator.snapshot
        let cached = cache.withLock { cache -> Outcome? in
            guard cache.tokenGeneration == snapshot.generation, cache.token == token else { return nil }
            return cache.tokenOutcome
        }
        if let cached { return cached }
        let outcome: Outcome = snapshot.directory.entry(forToken: TokenDigest(token: token)).map { .known($0) }
            ?? .unknown(reason: "the bearer token is not known")
        cache.withLock { cache in
            cache.token = token
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
    static func bearerToken(in header: String) -> String? {
        guard header.prefix(7).lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).drop { $0 == " " }
        return token.isEmpty || token.contains(" ") ? nil : String(token)
    }
}
