import RapportDomain

/// A query with empty strings removed and the name prefix normalised: what lists and tokens use.
struct NormalizedQuery: Sendable, Hashable {
    var valueTier: ValueTier?
    var lifecycleStage: LifecycleStage?
    var riskLevel: RiskLevel?
    var branchID: String?
    var relationshipManagerID: String?
    /// A `NameKey` prefix.
    var nameKeyPrefix: String?

    init(_ query: CustomerQuery) {
        valueTier = query.valueTier
        lifecycleStage = query.lifecycleStage
        riskLevel = query.riskLevel
        branchID = query.branchID.flatMap { $0.isEmpty ? nil : $0 }
        relationshipManagerID = query.relationshipManagerID.flatMap { $0.isEmpty ? nil : $0 }
        nameKeyPrefix = query.namePrefix.flatMap(NameKey.prefix(for:))
    }

    /// Whether the list is ordered by (name key, id) rather than by id.
    var ordersByName: Bool { nameKeyPrefix != nil }

    /// A stable 64-bit FNV-1a hash of the filters, as 16 hex digits; the same in every process.
    var fingerprint: String {
        var canonical = ""
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            // Length-prefixed so no value can imitate another field.
            canonical += "\(name)=\(value.utf8.count):\(value);"
        }
        field("tier", valueTier?.rawValue)
        field("stage", lifecycleStage?.rawValue)
        field("risk", riskLevel?.rawValue)
        field("branch", branchID)
        field("rm", relationshipManagerID)
        field("name", nameKeyPrefix)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonical.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
