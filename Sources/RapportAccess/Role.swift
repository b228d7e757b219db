/// A named set of permissions a principal is given in the principals file.
///
/// `reader` ⊂ `agent` ⊂ `manager`; `admin` runs the system without seeing personal data unmasked
/// (segregation of duties); `auditor` sees the audit trail only.
public enum Role: String, CaseIterable, Sendable, Hashable, Codable {
    case reader
    case agent
    case manager
    case admin
    case auditor

    /// What the role allows.
    public var permissions: Set<Permission> {
        switch self {
        case .reader:
            return [.readCustomers, .readInteractions, .readRecommendations, .diagnostics]
        case .agent:
            return Role.reader.permissions.union([.writeInteractions, .writeConsent, .recordOfferOutcomes])
        case .manager:
            return Role.agent.permissions.union([.writeCustomers, .readPersonalData])
        case .admin:
            return Role.reader.permissions.union([.manageCatalog, .eraseCustomers, .readAudit, .backup, .managePrincipals])
        case .auditor:
            return [.readAudit]
        }
    }
}
