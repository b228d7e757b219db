import RapportAccess
import RapportWire

/// A connection's share of the server's security: the rules, the principals' call counts
/// (shared by every connection) and its own credential cache.
struct ConnectionSecurity: Sendable {
    let rules: ServerSecurity
    let counter: PrincipalCallCounter
    let credentials: ConnectionCredentials
}

/// Whether a call may run, decided before it is admitted.
enum CallAuthorization: Sendable {
    /// It may run; the principal is nil only for an open method called without a credential.
    case granted(PrincipalDirectory.Entry?)
    /// UNAUTHENTICATED or PERMISSION_DENIED; the principal's name when it was known.
    case refused(RPCError, principal: String?)
}

extension ConnectionSecurity {
    /// Checks the caller of `path` (`known`: whether the server serves it) against the method's rule.
    /// An unknown method is refused UNAUTHENTICATED without a valid credential, so a stranger
    /// learns nothing of what is served, and left for the caller's UNIMPLEMENTED with one.
    func authorize(path: String, metadata: [String: String], known: Bool) -> CallAuthorization {
        let rule = rules.access[path]
        let credential = credentials.outcome(for: metadata)
        switch credential {
        case .none, .unclaimedCertificate:
            if known, rule == .open { return .granted(nil) }
            let message =
                if case .unclaimedCertificate = credential {
                    "the client certificate maps to no principal, and no bearer token was sent"
                } else {
                    "no credential: send 'authorization: Bearer <token>' metadata or a client certificate"
                }
            return .refused(RPCError(code: .unauthenticated, message: message), principal: nil)
        case .unknown(let reason):
            return .refused(RPCError(code: .unauthenticated, message: reason), principal: nil)
        case .known(let entry):
            guard known else { return .granted(entry) }
            switch rule {
            case .open, .authenticated:
                return .granted(entry)
            case .requires(let permission) where entry.principal.may(permission):
                return .granted(entry)
            case .requires(let permission):
                return .refused(
                    RPCError(
                        code: .permissionDenied,
                        message: "principal '\(entry.principal.name)' lacks the permission '\(permission.rawValue)' this method needs"),
                    principal: entry.principal.name)
            case nil:
                return .refused(
                    RPCError(code: .permissionDenied, message: "this method has no access rule, so nobody may call it"),
                    principal: entry.principal.name)
            }
        }
    }
}
