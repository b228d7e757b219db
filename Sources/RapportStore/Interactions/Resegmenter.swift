import Foundation
import GRDB
import RapportDomain

/// Re-computes a customer's segments after their activity changed, inside the logging transaction.
///
/// Only the segment columns (`value_tier`, `lifecycle_stage`, `segmentation`) are written, and
/// only when the result differs: `etag` and `updated_at` stay. A changed tier moves the customer
/// between segment cells in the statistics (`StatisticsTables.tierChanged`), in the same transaction. Segments are computed by the
/// daemon, not a caller's edit, so logging an interaction must not invalidate the etag a caller
/// holds for its next profile update (which re-segments with the current activity anyway).
enum Resegmenter {
    /// Re-segments the customer as of `today`; does nothing when the customer is gone.
    /// Takes the decoded customer from `customers` when it holds it (decoding the profile costs
    /// more than the rest of a log), and leaves it there.
    /// - Returns: whether the stored segments changed.
    @discardableResult
    static func resegment(
        _ db: Database, customerID: String, today: CalendarDate, segmenter: Segmenter, customers: CustomerCache,
        activity: ActivitySummaryTable?
    ) throws -> Bool {
        let customer: Customer
        if let cached = customers.customerInWriteTransaction(id: customerID) {
            customer = cached
        } else {
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT rowid AS row_id, * FROM customers WHERE id = ?"), arguments: [customerID])
            else { return false }
            customer = try CustomerRecord(row: row, db).customer()
            customers.storeInWriteTransaction(customer, rowID: row["row_id"])
        }
        guard let segmentation = try segmentsIfChanged(db, customer, today: today, segmenter: segmenter, activity: activity)
        else { return false }
        try db.cachedStatement(sql: "UPDATE customers SET value_tier = ?, lifecycle_stage = ?, segmentation = ? WHERE id = ?")
            .execute(arguments: [
                segmentation.valueTier.rawValue, segmentation.lifecycleStage.rawValue,
                try CustomerColumns.encode(segmentation), customerID,
            ])
        // Most re-segmentations change only the lifecycle stage, which no statistic counts: one
        // comparison, nothing built. The profile is the stored one, so only the tier can move
        // the customer between segment cells.
        if segmentation.valueTier != customer.segmentation.valueTier {
            try StatisticsTables.tierChanged(of: customer, to: segmentation.valueTier, db)
        }
        return true
    }

    /// The customer's segments as of `today` from their stored activity, or nil when they are
    /// the stored ones. `activity`, on the writer connection only, keeps the summaries it reads.
    static func segmentsIfChanged(
        _ db: Database, _ customer: Customer, today: CalendarDate, segmenter: Segmenter, activity table: ActivitySummaryTable? = nil
    ) throws -> Segmentation? {
        let activity = try table?.summary(db, customerID: customer.id, today: today)
            ?? CustomerActivity.summary(db, customerID: customer.id, today: today)
        let segmentation = segmenter.segment(customer.profile, customerSince: customer.createdAt, activity: activity, today: today)
        return segmentation == customer.segmentation ? nil : segmentation
    }
}
