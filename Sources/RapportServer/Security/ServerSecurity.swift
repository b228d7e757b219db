import RapportAccess

/// Who may call what: every call is authenticated against `authenticator` and checked against
/// `access`; refusals are logged and reported to `refusalObserver`.
public struct ServerSecurity: Sendable {
    /// The access rule of every served method, by wire path. A method without one is refused
    /// at start (`missingAccess(in:)`); should one slip through it is refused to every caller.
    public var access: [String: MethodAccess]
    /// The known principals, swappable at run time (SIGHUP).
    public var authenticator: Authenticator
    /// Told of every refused call (the audit trail).
    public var refusalObserver: (any CallRefusalObserver)?

    public init(access: [String: MethodAccess], authenticator: Authenticator, refusalObserver: (any CallRefusalObserver)? = nil) {
        self.access = access
        self.authenticator = authenticator
        self.refusalObserver = refusalObserver
    }

    /// The paths of registered methods `access` has no rule for, sorted; the server must not
    /// start while any is left.
    public func missingAccess(in registry: MethodRegistry) -> [String] {
        registry.services.flatMap(\.methods).map(\.path).filter { access[$0] == nil }.sorted()
    }
}

/// A registered method has no entry in the permission table.
public struct MissingAccessRuleError: Error, CustomStringConvertible, Sendable {
    public let paths: [String]
    public var description: String {
        "no access rule in the permission table for \(paths.joined(separator: ", ")); refusing to start rather than serve them open"
    }
}
