import Foundation
import GRDB
import RapportDomain

/// An accepted offer's change to the customer: the product becomes a holding, written inside the
/// logging savepoint so that a failed or replayed entry adds nothing.
enum OfferAcceptance {
    /// Appends `ProductHolding(productCode:, openedOn: the UTC day of occurredAt)` unless the
    /// customer already holds the product open, and rewrites the row as an update does (new etag,
    /// `updated_at` now, never backwards), with the co-holding and segment counts in the same transaction.
    /// The customer's segments are re-computed when the group finishes (`Resegmenter`: it is touched).
    /// - Returns: whether the holding was added.
    @discardableResult
    static func addHolding(
        _ db: Database, for interaction: Interaction, now: Date, customers: CustomerCache
    ) throws -> Bool {
        let current = try currentRecord(db, id: interaction.customerID, customers: customers)
        let code = interaction.productCode
        if HeldProducts.codes(of: current.profile.products).contains(code) { return false }
        var updated = current
        updated.profile.products.append(ProductHolding(productCode: code, openedOn: CalendarDate(utcDayOf: interaction.occurredAt)))
        updated.updatedAt = max(try StoredTime.millis(now), current.updatedAt, current.createdAt)
        updated.etag = SQLiteCustomerStore.freshEtag(replacing: current.etag)
        // Only these columns change: the filter columns come from fields an acceptance leaves alone.
        try db.cachedStatement(sql: "UPDATE customers SET profile = ?, updated_at = ?, etag = ? WHERE id = ?")
            .execute(arguments: [
                try CustomerColumns.sealedProfile(
                    updated.profile, id: updated.id, key: try Keyring.of(db).requireDataKey(for: updated.id)),
                updated.updatedAt, updated.etag, updated.id,
            ])
        try StatisticsTables.customerChanged(from: current, to: updated, db)
        return true
    }

    /// The customer's stored row, from the decoded-customer cache when it holds it unchanged.
    private static func currentRecord(_ db: Database, id: String, customers: CustomerCache) throws -> CustomerRecord {
        if let cached = customers.customerInWriteTransaction(id: id) { return try CustomerRecord(cached, db) }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM customers WHERE id = ?"), arguments: [id]) else {
            throw StoreError(.notFound, "no customer with id \(id)")
        }
        return try CustomerRecord(row: row, db)
    }
}
