import Foundation
import GRDB
import RapportDomain

/// The SQL for a page of the follow-up queue, earliest due first, and the decoding of its rows.
///
/// `open_follow_ups` drives through the index matching the filter: `open_follow_ups_by_customer`
/// or `open_follow_ups_by_branch` (each `(…, due_at, interaction_id)`), else `open_follow_ups_by_due`.
/// The cursor is a row-value bound on that index, so a page costs the same at any depth. Each
/// item's interaction is one primary-key lookup; `CROSS JOIN` keeps SQLite from putting
/// `interactions` in the outer loop.
struct FollowUpQueueRead {
    var sql: String
    var arguments: StatementArguments

    /// The interaction's columns (qualified, since both tables have `customer_id`), then the item's.
    private static let columns = InteractionRecord.selection
        .split(separator: ",")
        .map { "i." + $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: ", ") + ", f.reason, f.due_at"
    /// The index of `f.reason` in a row; `f.due_at` follows it.
    private static let reasonColumn = InteractionRecord.selection.split(separator: ",").count

    /// Up to `limit` items matching `filter` after `cursor` (raised before `raisedBeforeMillis`
    /// when given: an as-of read leaves out items opened later, checked per row).
    init(filter: FollowUpFilter, after cursor: FollowUpCursor?, limit: Int, raisedBeforeMillis: Int64? = nil) {
        let filter = filter.normalized
        var terms = InteractionReadStatement.Terms()
        if let customerID = filter.customerID {
            terms.add("f.customer_id = ?", customerID)
        }
        if let branchID = filter.branchID {
            // With a customer too, the customer's index drives and the branch is checked per row.
            terms.add(filter.customerID == nil ? "f.branch_id = ?" : "+f.branch_id = ?", branchID)
        }
        if let cursor {
            terms.add("(f.due_at, f.interaction_id) > (?, ?)", cursor.dueAtMillis, cursor.interactionID)
        }
        if let raisedBeforeMillis {
            terms.add("i.occurred_at < ?", raisedBeforeMillis)
        }
        let conditions = terms.sql.isEmpty ? "" : " WHERE " + terms.sql.joined(separator: " AND ")
        sql = """
            SELECT \(Self.columns) FROM open_follow_ups f CROSS JOIN interactions i ON i.id = f.interaction_id\
            \(conditions) ORDER BY f.due_at, f.interaction_id LIMIT ?
            """
        arguments = StatementArguments(databaseValues: terms.values + [limit.databaseValue])
    }

    /// Every item the statement returns, in its order.
    func fetchAll(_ db: Database) throws -> [FollowUpItem] {
        var items: [FollowUpItem] = []
        // Cached by text: the filter shapes are few (see InteractionRecord.fetchAll).
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            let interaction = try InteractionRecord(row: row, db).interaction
            let rawReason: String = row[Self.reasonColumn]
            guard let reason = FollowUpReason(rawValue: rawReason) else {
                throw StoreError(.corrupt, "follow-up of interaction \(interaction.id) has an unreadable reason '\(rawReason)'")
            }
            items.append(FollowUpItem(interaction: interaction, reason: reason, dueAt: StoredTime.date(row[Self.reasonColumn + 1])))
        }
        return items
    }
}
