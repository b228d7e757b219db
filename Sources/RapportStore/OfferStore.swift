import Foundation
import RapportDomain

/// What recommendations read from the store: offer statistics and one customer's context.
///
/// Outcomes are written by `InteractionStore.log` with `NewInteraction.offer` set.
public protocol OfferStore: Sendable {
    /// Offer outcomes of all time, per product and per reason code.
    func offerStatistics() async throws -> OfferStatistics

    /// Offer outcomes of the UTC days `from ..< before`, per product and per reason code.
    func offerReport(from: CalendarDate, before: CalendarDate) async throws -> OfferStatistics

    /// The customer, their consent decisions, their interactions of
    /// `RecommendationContext.historyKinds` on the days `asOf − lookbackDays … asOf` (UTC; nothing
    /// after the end of `asOf`), newest first, at most `limit` (clamped to 0…1000), and their open
    /// follow-ups raised by the end of `asOf` (at most 1000, earliest due first); read in one
    /// transaction, the customer from the decoded-customer cache when it holds them.
    ///
    /// Declined offers are read further back, over `declineLookbackDays` (a product's cooldown can
    /// last a year, intent and open cases only need weeks), through the (customer, kind) index.
    ///
    /// - Throws: `StoreError` `.notFound` when there is no such customer.
    func recommendationContext(
        customerID: String, asOf: CalendarDate, lookbackDays: Int, declineLookbackDays: Int, limit: Int
    ) async throws -> RecommendationContext
}

extension OfferStore {
    /// The context with declines read over the same days as everything else.
    public func recommendationContext(
        customerID: String, asOf: CalendarDate, lookbackDays: Int, limit: Int
    ) async throws -> RecommendationContext {
        try await recommendationContext(
            customerID: customerID, asOf: asOf, lookbackDays: lookbackDays, declineLookbackDays: lookbackDays, limit: limit)
    }
}

extension SQLiteCustomerStore: OfferStore {}
