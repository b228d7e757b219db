/// Who is calling: the identity a credential (bearer token or client certificate) proved,
/// with what it may do.
public struct Principal: Sendable, Hashable {
    /// The name from the principals file; what logs and audit records show. Never a secret.
    public let name: String
    /// The roles the principals file gives it.
    public let roles: Set<Role>
    /// Everything it may do: its roles' permissions and any granted one by one.
    public let permissions: Set<Permission>

    public init(name: String, roles: Set<Role>, extraPermissions: Set<Permission> = []) {
        self.name = name
        self.roles = roles
        self.permissions = roles.reduce(into: extraPermissions) { $0.formUnion($1.permissions) }
    }

    /// Whether it holds `permission`.
    public func may(_ permission: Permission) -> Bool {
        permissions.contains(permission)
    }
}
