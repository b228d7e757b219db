import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    /// One page of a customer's log, newest first, read from one index range whatever its depth.
    public func interactions(
        customerID: String, filter: InteractionFilter, pageSize: Int, after cursor: InteractionCursor?
    ) async throws -> InteractionPage {
        try await mappingErrors {
            let size = Self.clampedPageSize(pageSize)
            // One extra row says whether another page follows, so the last page has no cursor.
            let statement = try InteractionReadStatement.customerPage(
                customerID: customerID, filter: filter, after: cursor, limit: size + 1)
            let rows = try await asyncRead { db in
                let rows = try InteractionRecord.fetchAll(db, sql: statement.sql, arguments: statement.arguments)
                // Rows prove the customer exists (they cascade with it): only an empty page needs the check.
                if rows.isEmpty {
                    try Self.requireKnownCustomer(db, id: customerID)
                }
                return rows
            }
            let page = Array(rows.prefix(size))
            guard rows.count > size, let last = page.last else {
                return InteractionPage(interactions: page, next: nil)
            }
            return InteractionPage(
                interactions: page, next: InteractionCursor(occurredAtMillis: try StoredTime.millis(last.occurredAt), id: last.id))
        }
    }

    /// Up to `limit` (clamped to 1...1000) matching interactions after `afterID`, in id order.
    ///
    /// The primary key drives every chunk, so a chunk never re-reads what earlier chunks read and
    /// a whole export reads the `id` index once. A time range is checked per row rather than
    /// served from an index: no index yields rows in id order by time, and sorting every match
    /// on each chunk would cost more than skipping non-matches once.
    public func exportChunk(filter: InteractionFilter, afterID: String?, limit: Int) async throws -> [Interaction] {
        try await mappingErrors {
            let statement = try InteractionReadStatement.exportChunk(
                filter: filter, afterID: afterID, limit: Self.clampedPageSize(limit))
            return try await asyncRead { db in
                try InteractionRecord.fetchAll(db, sql: statement.sql, arguments: statement.arguments)
            }
        }
    }

    /// A page size within 1...`InteractionFilter.maximumPageSize`.
    static func clampedPageSize(_ size: Int) -> Int {
        min(max(size, 1), InteractionFilter.maximumPageSize)
    }

    /// Throws `.notFound` unless the customer exists (one primary-key lookup).
    static func requireKnownCustomer(_ db: Database, id: String) throws {
        guard try CustomerRecord.exists(db, key: id) else {
            throw StoreError(.notFound, "no customer with id \(id)")
        }
    }

    /// The `EXPLAIN QUERY PLAN` details of a statement, for tests and diagnostics.
    func queryPlan(sql: String, arguments: StatementArguments) async throws -> [String] {
        try await asyncRead { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                .map { try $0.decode(String.self, forColumn: "detail") }
        }
    }
}
