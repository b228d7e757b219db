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

    /// Read synchronously on the caller's thread (see `pointRead`): a handful of index seeks,
    /// asked for on every recommendation, where the hop to a reader queue and back would cost
    /// as much as the read.
    public func recommendationContext(
        customerID: String, asOf: CalendarDate, lookbackDays: Int, declineLookbackDays: Int, limit: Int
    ) async throws -> RecommendationContext {
        let read = try RecommendationContextRead(
            customerID: customerID, asOf: asOf, lookbackDays: lookbackDays, declineLookbackDays: declineLookbackDays,
            limit: min(max(limit, 0), Self.recommendationContextLimit))
        let cached = customerCache.customer(id: customerID)
        let generation = customerCache.generation
        return try pointRead { db in
            let customer: Customer
            if let cached {
                customer = cached
            } else {
                guard let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT rowid AS row_id, * FROM customers WHERE id = ?"), arguments: [customerID])
                else { throw StoreError(.notFound, "no customer with id \(customerID)") }
                customer = try CustomerRecord(row: row).customer()
                customerCache.store(customer, rowID: row["row_id"], readAt: generation)
            }
            return RecommendationContext(
                customer: customer,
                consents: try ConsentRecord.history(db, customerID: customerID),
                history: try read.history(db),
                openFollowUps: try read.openFollowUps(db))
        }
    }
}
