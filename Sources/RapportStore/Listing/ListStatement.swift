import GRDB

/// The SQL for one keyset page, shaped so SQLite serves it from exactly one index range.
///
/// The order is `id` (time-ordered, so rows inserted while paging land after the pages already
/// read). One equality filter drives: its `(column, id)` index gives the rows in `id` order
/// starting after the cursor. Further filters are written `+column = ?`, which keeps SQLite from
/// choosing their indexes; they are checked on the rows the driving index yields. The driving
/// filter is the most selective kind present: a name bucket (`NameBuckets`), relationship manager,
/// branch, risk level, lifecycle stage, value tier. Without filters the primary key index serves.
///
/// A name prefix is not in the SQL (the file holds no names): the rows are checked against it
/// after they are decrypted, so `limit` is then how many rows a page may examine.
///
/// Either way a page reads about `pageSize / (share of driving-index rows passing the other
/// filters)` index entries, whatever its depth: page 10,000 costs what page 1 costs.
struct ListStatement {
    var sql: String
    var arguments: StatementArguments

    init(query: NormalizedQuery, nameBucket: String?, cursor: PageCursor?, limit: Int) throws {
        if let cursor, (cursor.afterNameKey != nil) != query.ordersByName {
            throw StoreError(.invalidPageToken, "the page cursor does not belong to this list")
        }
        var terms: [String] = []
        var values: [DatabaseValue] = []
        let equalities: [(column: String, value: String?)] = [
            ("name_key", nameBucket),
            ("relationship_manager_id", query.relationshipManagerID),
            ("branch_id", query.branchID),
            ("risk_level", query.riskLevel?.rawValue),
            ("lifecycle_stage", query.lifecycleStage?.rawValue),
            ("value_tier", query.valueTier?.rawValue),
        ]
        var driving = true
        for (column, value) in equalities {
            guard let value else { continue }
            terms.append(driving ? "\(column) = ?" : "+\(column) = ?")
            values.append(value.databaseValue)
            driving = false
        }
        terms.append("id > ?")
        values.append((cursor?.afterID ?? "").databaseValue)
        sql = "SELECT * FROM customers WHERE \(terms.joined(separator: " AND ")) ORDER BY id LIMIT ?"
        values.append(limit.databaseValue)
        arguments = StatementArguments(databaseValues: values)
    }
}
