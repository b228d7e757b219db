import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    public func list(_ query: CustomerQuery, pageSize: Int, after cursor: PageCursor?) async throws -> CustomerPage {
        try await mappingErrors {
            let normalized = NormalizedQuery(query)
            let size = min(max(pageSize, 1), CustomerQuery.maximumPageSize)
            // One extra row says whether another page follows, so the last page has no cursor.
            let statement = try ListStatement(query: normalized, cursor: cursor, limit: size + 1)
            let records = try await asyncRead { db in
                // Cached by text: a list query has few shapes (which filters are set, first page or not).
                try CustomerRecord.fetchAll(db.cachedStatement(sql: statement.sql), arguments: statement.arguments)
            }
            let page = records.prefix(size)
            let customers = page.map { $0.customer() }
            var next: PageCursor?
            if records.count > size, let last = page.last {
                next = PageCursor(afterID: last.id, afterNameKey: normalized.ordersByName ? last.nameKey : nil)
            }
            return CustomerPage(customers: customers, next: next)
        }
    }

    /// The `EXPLAIN QUERY PLAN` details of a list page, for tests and diagnostics.
    func listQueryPlan(_ query: CustomerQuery, after cursor: PageCursor?) async throws -> [String] {
        let statement = try ListStatement(query: NormalizedQuery(query), cursor: cursor, limit: 10)
        return try await asyncRead { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                .map { try $0.decode(String.self, forColumn: "detail") }
        }
    }
}
