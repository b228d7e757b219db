/// Who may call a method; the daemon's permission table holds one per served method.
public enum MethodAccess: Sendable, Hashable {
    /// Anyone who reaches the port, without a credential (health checks).
    case open
    /// Any known principal.
    case authenticated
    /// A known principal holding the permission.
    case requires(Permission)
}
