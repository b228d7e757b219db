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

    /// The filters as a page token keeps them (sealed inside it, as a digest).
    var canonicalFilters: CanonicalFilters {
        var filters = CanonicalFilters(list: "customers")
        filters.add("tier", valueTier?.rawValue)
        filters.add("stage", lifecycleStage?.rawValue)
        filters.add("risk", riskLevel?.rawValue)
        filters.add("branch", branchID)
        filters.add("rm", relationshipManagerID)
        filters.add("name", nameKeyPrefix)
        return filters
    }
}
