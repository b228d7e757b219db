import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    /// The most interactions and open follow-ups a recommendation context holds.
    static let recommendationContextLimit = 1000

    public func offerStatistics() async throws -> OfferStatistics {
        try await mappingErrors {
            try await asyncRead { try OfferTables.read($0) }
        }
    }

    public func offerReport(from: CalendarDate, before: CalendarDate) async throws -> OfferStatistics {
        try await mappingErrors {
            try await asyncRead { try OfferTables.read($0, from: from, before: before) }
        }
    }

    /// From the caches when both hold the customer and the entry was read for the same window;
    /// else read synchronously on the caller's thread (see `pointRead`): a handful of index seeks,
    /// where the hop to a reader queue and back would cost as much as the read.
    public func recommendationContext(
        customerID: String, asOf: CalendarDate, lookbackDays: Int, declineLookbackDays: Int, limit: Int
    ) async throws -> RecommendationContext {
        let read = try RecommendationContextRead(
            customerID: customerID, asOf: asOf, lookbackDays: lookbackDays, declineLookbackDays: declineLookbackDays,
            limit: min(max(limit, 0), Self.recommendationContextLimit))
        let cachedCustomer = customerCache.customer(id: customerID)
        let customerGeneration = customerCache.generation
        let cachedEntry = recommendationContexts.entry(customerID: customerID)
        let entryGeneration = recommendationContexts.generation
        if let cachedCustomer, let cachedEntry, cachedEntry.window == read.window,
           let openFollowUps = read.openFollowUps(raisedByAsOfFrom: cachedEntry.openFollowUps) {
            return RecommendationContext(
                customer: cachedCustomer, consents: cachedEntry.consents, history: cachedEntry.history, openFollowUps: openFollowUps)
        }
        return try pointRead { db in
            let customer: Customer
            if let cachedCustomer {
                customer = cachedCustomer
            } else {
                guard let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT rowid AS row_id, * FROM customers WHERE id = ?"), arguments: [customerID])
                else { throw StoreError(.notFound, "no customer with id \(customerID)") }
                customer = try CustomerRecord(row: row, db).customer()
                customerCache.store(customer, rowID: row["row_id"], readAt: customerGeneration)
            }
            let entry = RecommendationContextCache.Entry(
                consents: try ConsentRecord.history(db, customerID: customerID),
                openFollowUps: try read.openFollowUps(db, raisedByAsOf: false),
                window: read.window,
                history: try read.history(db))
            recommendationContexts.store(entry, customerID: customerID, readAt: entryGeneration)
            return RecommendationContext(
                customer: customer, consents: entry.consents, history: entry.history,
                openFollowUps: try read.openFollowUps(raisedByAsOfFrom: entry.openFollowUps) ?? read.openFollowUps(db, raisedByAsOf: true))
        }
    }
}
