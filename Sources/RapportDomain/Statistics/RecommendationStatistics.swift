/// Everything recommendations know about all customers, as of one committed state of the store.
public struct RecommendationStatistics: Sendable, Equatable {
    public var coholding: CoholdingStatistics {
        didSet { coholdingIndex = CoholdingIndex(coholding) }
    }
    /// `coholding` by product number, for ranking; rebuilt whenever `coholding` changes.
    public private(set) var coholdingIndex: CoholdingIndex
    public var segments: SegmentStatistics
    public var offers: OfferStatistics
    /// Every stored customer.
    public var customers: Int

    public init(
        coholding: CoholdingStatistics = .init(), segments: SegmentStatistics = .init(), offers: OfferStatistics = .init(),
        customers: Int = 0
    ) {
        self.coholding = coholding
        coholdingIndex = CoholdingIndex(coholding)
        self.segments = segments
        self.offers = offers
        self.customers = customers
    }
}
