import RapportDomain

/// Filters for listing customers; nil (or an empty string) means "any".
public struct CustomerQuery: Sendable, Hashable {
    /// The largest page the store returns.
    public static let maximumPageSize = 1000

    /// Only customers in this value tier.
    public var valueTier: ValueTier?
    /// Only customers in this lifecycle stage.
    public var lifecycleStage: LifecycleStage?
    /// Only customers with this assessed risk level.
    public var riskLevel: RiskLevel?
    /// Only customers of this branch.
    public var branchID: String?
    /// Only customers of this relationship manager.
    public var relationshipManagerID: String?
    /// Matches the start of the full name, ignoring case, accents and repeated spaces.
    public var namePrefix: String?

    public init(
        valueTier: ValueTier? = nil, lifecycleStage: LifecycleStage? = nil, riskLevel: RiskLevel? = nil,
        branchID: String? = nil, relationshipManagerID: String? = nil, namePrefix: String? = nil
    ) {
        self.valueTier = valueTier
        self.lifecycleStage = lifecycleStage
        self.riskLevel = riskLevel
        self.branchID = branchID
        self.relationshipManagerID = relationshipManagerID
        self.namePrefix = namePrefix
    }
}

/// Where a page ended: the position after which the next page starts.
///
/// Lists are ordered by `id`, or by (normalised name, `id`) when the query has a name prefix;
/// `afterNameKey` is set exactly in the second case.
public struct PageCursor: Sendable, Hashable, Codable {
    /// The id of the last customer returned.
    public var afterID: String
    /// The normalised name of the last customer returned, for name-prefix queries.
    public var afterNameKey: String?

    public init(afterID: String, afterNameKey: String? = nil) {
        self.afterID = afterID
        self.afterNameKey = afterNameKey
    }
}

/// One page of a customer list.
public struct CustomerPage: Sendable, Hashable {
    /// The customers on this page, in list order.
    public var customers: [Customer]
    /// Where the next page starts; nil on the last page.
    public var next: PageCursor?

    public init(customers: [Customer], next: PageCursor?) {
        self.customers = customers
        self.next = next
    }
}
