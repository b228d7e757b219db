/// A group of similar customers for recommendations: value tier × five-year birth cohort.
///
/// A birth cohort, unlike an age band, never changes as days pass, so a customer moves between
/// cells only when a write changes their stored tier or date of birth, and the cell counts can be
/// kept incrementally in the same transaction as that write.
public struct SegmentCell: Sendable, Hashable {
    public var valueTier: ValueTier
    /// The first year of the five-year birth cohort (1985 for 1985–1989); nil when the date of
    /// birth is not known.
    public var birthCohort: Int?

    public init(valueTier: ValueTier, birthCohort: Int?) {
        self.valueTier = valueTier
        self.birthCohort = birthCohort
    }

    /// The cell of a stored customer: its computed value tier and the cohort of its date of birth.
    public init(_ customer: Customer) {
        self.init(valueTier: customer.segmentation.valueTier, birthCohort: customer.profile.dateOfBirth.map { Self.cohort(of: $0.year) })
    }

    /// The cohort a birth year falls in: the year rounded down to a multiple of five.
    public static func cohort(of year: Int) -> Int {
        year - ((year % 5) + 5) % 5
    }
}

/// How many customers each segment cell has, and how many of them hold each product.
public struct SegmentStatistics: Sendable, Equatable {
    /// Every stored customer, by cell (customers holding nothing included).
    public var customers: [SegmentCell: Int]
    /// Holders of each product (counted as in `CoholdingStatistics`: open holdings, once per customer), by cell.
    public var holders: [SegmentCell: [String: Int]]

    public init(customers: [SegmentCell: Int] = [:], holders: [SegmentCell: [String: Int]] = [:]) {
        self.customers = customers
        self.holders = holders
    }

    /// Customers in `cell`.
    public func size(of cell: SegmentCell) -> Int { customers[cell, default: 0] }

    /// Customers in `cell` holding `product`.
    public func holders(of product: String, in cell: SegmentCell) -> Int { holders[cell]?[product] ?? 0 }
}
