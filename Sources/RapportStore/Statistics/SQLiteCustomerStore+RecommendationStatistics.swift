import GRDB
import RapportDomain

extension SQLiteCustomerStore: RecommendationStatisticsStore {
    /// The statistics from the snapshot kept in memory when it was read less than `maxAge` ago,
    /// else from one new read transaction (see `SnapshotCache`: one caller reads, concurrent
    /// callers get the previous snapshot meanwhile, the first call waits).
    ///
    /// Writes do not invalidate the snapshot, even this process's own: it is at most `maxAge`
    /// (plus one read) stale, which ranking tolerates, and a write path never waits on it.
    public func recommendationStatistics(maxAge: Duration) async throws -> RecommendationStatistics {
        try await statisticsSnapshot.value(maxAge: maxAge) { [self] in
            do {
                return try await asyncRead { try Self.readRecommendationStatistics($0) }
            } catch {
                throw StoreError.mapping(error)
            }
        }
    }

    /// Every statistic, in the caller's (one) read transaction, so they agree with each other.
    static func readRecommendationStatistics(_ db: Database) throws -> RecommendationStatistics {
        let segments = try SegmentTables.read(db)
        return RecommendationStatistics(
            coholding: try CoholdingTables.read(db),
            segments: segments,
            offers: try OfferTables.read(db),
            // Every customer is in exactly one cell, so the sizes add up to the customer count;
            // summing a few hundred rows costs less than counting the customers table.
            customers: segments.customers.values.reduce(0, +))
    }
}
