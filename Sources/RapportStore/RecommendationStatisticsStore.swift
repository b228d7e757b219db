import RapportDomain

/// A store that serves the statistics recommendations rank with, as a snapshot kept in memory.
public protocol RecommendationStatisticsStore: Sendable {
    /// Every statistic as of one committed state of the store, read at most `maxAge` ago: a
    /// request within `maxAge` of the last read gets the same snapshot without touching the
    /// database, so the answer may miss writes of the last `maxAge`.
    func recommendationStatistics(maxAge: Duration) async throws -> RecommendationStatistics
}
