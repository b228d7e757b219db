import GRDB

/// The SQL for one keyset page, shaped so SQLite serves it from exactly one index range.
///
/// - Without a name prefix the order is `id` (time-ordered, so rows inserted while paging land
///   after the pages already read). One equality filter drives: its `(column, id)` index gives the
///   rows in `id` order starting after the cursor. Further filters are written `+column = ?`, which
///   keeps SQLite from choosing their indexes; they are checked on the rows the driving index
///   yields. The driving filter is the most selective kind present: relationship manager, branch,
///   risk level, lifecycle stage, value tier. Without filters the primary key index serves.
/// - With a name prefix the order is `(name_key, id)` and `customers_by_name_key` drives: the
///   prefix is a range on `name_key` and the cursor is a row-value bound, so no sort is needed.
///   Ordering by `id` here would force SQLite to read and sort every match of the prefix on every
///   page. Rows inserted while paging appear only if their name sorts after the cursor.
///
/// Either way a page reads about `pageSize / (share of driving-index rows passing the other
/// filters)` index entries, whatever its depth: page 10,000 costs what page 1 costs.
struct ListStatement {
    var sql: String
    var arguments: StatementArguments

    init(query: NormalizedQuery, cursor: PageCursor?, limit: Int) throws {
        var terms: [String] = []
        var values: [DatabaseValue] = []
        let equalities: [(column: String, value: String?)] = [
            ("relationship_manager_id", query.relationshipManagerID),
            ("branch_id", query.branchID),
            ("risk_level", query.riskLevel?.rawValue),
            ("lifecycle_stage", query.lifecycleStage?.rawValue),
            ("value_tier", query.valueTier?.rawValue),
        ]
        let order: String
        if let prefix = query.nameKeyPrefix {
            let afterKey: String
            let afterID: String
            if let cursor {
                guard let key = cursor.afterNameKey else {
                    throw StoreError(.invalidPageToken, "the page cursor does not belong to a name-prefix list")
                }
                afterKey = key
                afterID = cursor.afterID
            } else {
                afterKey = prefix
                afterID = ""
            }
            terms.append("(name_key, id) > (?, ?)")
            values += [afterKey.databaseValue, afterID.databaseValue]
            terms.append("name_key >= ?")
            values.append(prefix.databaseValue)
            terms.append("name_key < ?")
            values.append((prefix + NameKey.upperBoundSuffix).databaseValue)
            for (column, value) in equalities {
                guard let value else { continue }
                terms.append("+\(column) = ?")
                values.append(value.databaseValue)
            }
            order = "name_key, id"
        } else {
            var driving = true
            for (column, value) in equalities {
                guard let value else { continue }
                terms.append(driving ? "\(column) = ?" : "+\(column) = ?")
                values.append(value.databaseValue)
                driving = false
            }
            terms.append("id > ?")
            values.append((cursor?.afterID ?? "").databaseValue)
            order = "id"
        }
        sql = "SELECT * FROM customers WHERE \(terms.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?"
        values.append(limit.databaseValue)
        arguments = StatementArguments(databaseValues: values)
    }
}
