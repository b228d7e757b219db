/// Everything recommendations know about all customers, as of one committed state of the store.
public struct RecommendationStatistics: Sendable, Equatable {
    public var coholding: CoholdingStatistics
    public var segments: SegmentStatistics
    public var offers: OfferStatistics
    /// Every stored customer.
    public var customers: Int

    public init(
        coholding: CoholdingStatistics = .init(), segments: SegmentStatistics = .init(), offers: OfferStatistics = .init(),
        customers: Int = 0
    ) {
        self.coholding = coholding
        self.segments = segments
        self.offers = offers
        self.customers = customers
    }
}
