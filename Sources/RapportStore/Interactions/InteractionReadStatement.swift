import GRDB
import RapportDomain

/// The SQL for reading the log, shaped so SQLite serves each read from one index range.
///
/// - A customer's page (newest first) walks `interactions_by_customer_time (customer_id,
///   occurred_at, id, kind)` backwards from the cursor, or `interactions_by_customer_sparse_kind`
///   when exactly one kind outside the high-volume three is asked for (see
///   `StoreSchema.sparseKindCondition`). The cursor is a row-value bound on the index, so page
///   1,000 costs what page 1 costs. Several kinds, or one high-volume kind, are written
///   `+kind …` and checked from the time index, which holds the kind: a row of another kind is
///   skipped without being read (several kinds from the kind index would need a sort of all of
///   them). Channels are checked on the rows the index yields.
/// - An export chunk walks the primary key (`id`) from `afterID`. Its filters are all written
///   `+column`, so no other index can drive it: any other index would return rows out of id
///   order and need a sort of every match on every chunk.
struct InteractionReadStatement {
    var sql: String
    var arguments: StatementArguments

    private init(where terms: Terms, order: String, limit: Int) {
        let conditions = terms.sql.isEmpty ? "" : " WHERE " + terms.sql.joined(separator: " AND ")
        sql = "SELECT \(InteractionRecord.selection) FROM interactions\(conditions) ORDER BY \(order) LIMIT ?"
        arguments = StatementArguments(databaseValues: terms.values + [limit.databaseValue])
    }

    /// Up to `limit` of a customer's interactions older than `cursor`, newest first.
    static func customerPage(
        customerID: String, filter: InteractionFilter, after cursor: InteractionCursor?, limit: Int
    ) throws -> InteractionReadStatement {
        var terms = Terms()
        terms.add("customer_id = ?", customerID)
        if filter.kinds.count == 1, let kind = filter.kinds.first, !StoreSchema.denseKinds.contains(kind) {
            terms.add("kind = ?", kind.rawValue)
            terms.add(StoreSchema.sparseKindCondition)
        } else {
            terms.addIn("+kind", filter.kinds.map(\.rawValue))
        }
        if let from = filter.occurredFrom {
            terms.add("occurred_at >= ?", try StoredTime.millis(from))
        }
        // Exactly one upper bound, the tighter: if SQLite bounded the range by `before` and only
        // checked the cursor, every page would re-read the rows of the pages before it.
        let before = try filter.occurredBefore.map(StoredTime.millis)
        if let cursor, before.map({ cursor.occurredAtMillis < $0 }) ?? true {
            terms.add("(occurred_at, id) < (?, ?)", cursor.occurredAtMillis, cursor.id)
        } else if let before {
            terms.add("occurred_at < ?", before)
        }
        terms.addIn("channel", filter.channels.map(\.rawValue))
        return InteractionReadStatement(where: terms, order: "occurred_at DESC, id DESC", limit: limit)
    }

    /// Up to `limit` interactions matching `filter` with ids after `afterID`, in id order.
    static func exportChunk(filter: InteractionFilter, afterID: String?, limit: Int) throws -> InteractionReadStatement {
        var terms = Terms()
        // "" sorts before every id, and keeps the first chunk on the same index range as the rest.
        terms.add("id > ?", afterID ?? "")
        if let from = filter.occurredFrom {
            terms.add("+occurred_at >= ?", try StoredTime.millis(from))
        }
        if let before = filter.occurredBefore {
            terms.add("+occurred_at < ?", try StoredTime.millis(before))
        }
        terms.addIn("+kind", filter.kinds.map(\.rawValue))
        terms.addIn("+channel", filter.channels.map(\.rawValue))
        return InteractionReadStatement(where: terms, order: "id", limit: limit)
    }

    /// WHERE terms and their arguments, in order.
    struct Terms {
        var sql: [String] = []
        var values: [DatabaseValue] = []

        mutating func add(_ term: String, _ arguments: any DatabaseValueConvertible...) {
            sql.append(term)
            values += arguments.map(\.databaseValue)
        }

        /// `column IN (…)`, in a fixed order; nothing for an empty set (no filter).
        mutating func addIn(_ column: String, _ rawValues: [String]) {
            guard !rawValues.isEmpty else { return }
            let sorted = rawValues.sorted()
            sql.append("\(column) IN (\(Array(repeating: "?", count: sorted.count).joined(separator: ", ")))")
            values += sorted.map(\.databaseValue)
        }
    }
}
