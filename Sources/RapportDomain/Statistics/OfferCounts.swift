/// What happened to an offer made to a customer.
public enum OfferOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Shown to the customer; one of the three decisions follows.
    case presented
    case accepted
    case declined
    /// Shown and neither taken nor refused (the customer moved on, the offer expired).
    case ignored
}

/// Offer outcomes counted for one product or one reason code.
public struct OfferCounts: Sendable, Hashable {
    public var presented: Int
    public var accepted: Int
    public var declined: Int
    public var ignored: Int

    public init(presented: Int = 0, accepted: Int = 0, declined: Int = 0, ignored: Int = 0) {
        self.presented = presented
        self.accepted = accepted
        self.declined = declined
        self.ignored = ignored
    }

    /// Offers whose customer decided: accepted, declined or ignored.
    public var decided: Int { accepted + declined + ignored }

    /// Accepted out of decided; nil before any decision.
    public var acceptanceRate: Double? { decided > 0 ? Double(accepted) / Double(decided) : nil }

    /// Counts `outcome` `count` more times (a negative count takes them back).
    public mutating func add(_ outcome: OfferOutcome, _ count: Int = 1) {
        switch outcome {
        case .presented: presented += count
        case .accepted: accepted += count
        case .declined: declined += count
        case .ignored: ignored += count
        }
    }

    /// The sum of two tallies.
    public static func + (lhs: OfferCounts, rhs: OfferCounts) -> OfferCounts {
        OfferCounts(
            presented: lhs.presented + rhs.presented, accepted: lhs.accepted + rhs.accepted,
            declined: lhs.declined + rhs.declined, ignored: lhs.ignored + rhs.ignored)
    }
}

/// Offer outcomes per product and per reason code the offers were made with.
public struct OfferStatistics: Sendable, Equatable {
    public var byProduct: [String: OfferCounts]
    /// An offer made with several reasons counts once under each.
    public var byReason: [String: OfferCounts]

    public init(byProduct: [String: OfferCounts] = [:], byReason: [String: OfferCounts] = [:]) {
        self.byProduct = byProduct
        self.byReason = byReason
    }
}
