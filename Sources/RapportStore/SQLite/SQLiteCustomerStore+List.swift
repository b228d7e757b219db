import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    /// Rows a name-prefix page decrypts and checks at most: a page with fewer matches than asked
    /// for then ends early, with a cursor, so a rare prefix costs bounded work per call.
    static let maximumExaminedPerPage = 2_000

    public func list(_ query: CustomerQuery, pageSize: Int, after cursor: PageCursor?) async throws -> CustomerPage {
        try await mappingErrors {
            let normalized = NormalizedQuery(query)
            let size = min(max(pageSize, 1), CustomerQuery.maximumPageSize)
            let prefix = normalized.nameKeyPrefix
            let bucket = prefix.flatMap { NameBuckets.bucket(ofPrefix: $0, keyring) }
            // One extra row says whether another page follows, so the last page has no cursor.
            let examined = prefix == nil ? size + 1 : max(size + 1, Self.maximumExaminedPerPage)
            let statement = try ListStatement(query: normalized, nameBucket: bucket, cursor: cursor, limit: examined)
            let (matches, rowsRead, lastRead) = try await asyncRead { db in
                var matches: [CustomerRecord] = []
                var rowsRead = 0
                var lastRead: String?
                // Cached by text: a list query has few shapes (which filters are set, first page or not).
                let rows = try Row.fetchCursor(db.cachedStatement(sql: statement.sql), arguments: statement.arguments)
                while let row = try rows.next() {
                    let record = try CustomerRecord(row: row, db)
                    rowsRead += 1
                    lastRead = record.id
                    if let prefix, !NameBuckets.name(record.profile.fullName, hasPrefix: prefix) { continue }
                    matches.append(record)
                    if matches.count > size { break }
                }
                return (matches, rowsRead, lastRead)
            }
            let page = matches.prefix(size)
            let marker: String? = prefix == nil ? nil : ""
            var next: PageCursor?
            if matches.count > size, let last = page.last {
                next = PageCursor(afterID: last.id, afterNameKey: marker)
            } else if rowsRead == examined, let lastRead {
                // The examination bound ended the page: more rows may match after the last one read.
                next = PageCursor(afterID: lastRead, afterNameKey: marker)
            }
            return CustomerPage(customers: page.map { $0.customer() }, next: next)
        }
    }

    /// The `EXPLAIN QUERY PLAN` details of a list page, for tests and diagnostics.
    func listQueryPlan(_ query: CustomerQuery, after cursor: PageCursor?) async throws -> [String] {
        let normalized = NormalizedQuery(query)
        let bucket = normalized.nameKeyPrefix.flatMap { NameBuckets.bucket(ofPrefix: $0, keyring) }
        let statement = try ListStatement(query: normalized, nameBucket: bucket, cursor: cursor, limit: 10)
        return try await asyncRead { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                .map { try $0.decode(String.self, forColumn: "detail") }
        }
    }
}
