import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore: ProductStore {
    public func upsertProduct(_ product: Product, expectedEtag: String?) async throws -> ProductUpsert {
        try await upsertProduct(product, expectedEtag: expectedEtag, audit: nil)
    }

    public func upsertProduct(_ product: Product, expectedEtag: String?, audit: AuditStamp?) async throws -> ProductUpsert {
        defer { catalog.invalidate() }  // after the commit (or failure), before the answer
        return try await mappingErrors {
            try await pool.write { db in
                let upsert = try Self.upsert(db, product, expectedEtag: expectedEtag)
                try AuditTables.append(db, stamp: audit, customerIDs: [], detail: "product \(upsert.product.code)")
                return upsert
            }
        }
    }

    /// Creates or replaces the product in the caller's write transaction.
    private static func upsert(_ db: Database, _ product: Product, expectedEtag: String?) throws -> ProductUpsert {
        let etag = expectedEtag.flatMap { $0.isEmpty ? nil : $0 }
        let current = try ProductRecord.fetch(db, code: product.code)
        if let etag {
            guard let current else {
                throw StoreError(.notFound, "no product with code \(product.code); omit etag to create it")
            }
            try Self.checkEtag(etag, of: current)
        }
        let now = Date()
        guard let current else {
            var created = product
            created.active = true
            created.createdAt = now
            created.updatedAt = now
            created.retiredAt = nil
            created.etag = SortableIDGenerator.newEtag()
            created.revision = 1
            let record = try ProductRecord(created)
            try record.save(db)
            try CoholdingTables.catalogGained(created.code, db)
            return ProductUpsert(product: try record.product(), created: true)
        }
        let stored = try current.product()
        if stored.active && stored.hasSameDefinition(as: product) {
            return ProductUpsert(product: stored, created: false)
        }
        var replaced = product
        replaced.active = true
        replaced.retiredAt = nil
        return ProductUpsert(product: try Self.saveRevision(replaced, after: stored, db, now: now), created: false)
    }

    public func activeProducts() async throws -> [Product] {
        try catalog.products {
            try pointRead { db in
                try Row.fetchAll(db.cachedStatement(sql: "SELECT \(ProductRecord.columns) FROM products WHERE active = 1 ORDER BY code"))
                    .map { try ProductRecord(row: $0).product() }
            }
        }
    }

    public func product(code: String) async throws -> Product? {
        try pointRead { db in try ProductRecord.fetch(db, code: code)?.product() }
    }

    public func productHistory(code: String) async throws -> [Product] {
        try await mappingErrors {
            try await asyncRead { db in
                try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT \(ProductRecord.columns) FROM product_revisions WHERE code = ? ORDER BY revision"),
                    arguments: [code]
                ).map { try ProductRecord(row: $0).product() }
            }
        }
    }

    public func listProducts(_ filter: ProductFilter, pageSize: Int, after cursor: ProductCursor?) async throws -> ProductPage {
        try await mappingErrors {
            let size = max(pageSize, 1)
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let category = filter.category {
                conditions.append("category = ?")
                arguments += [category.rawValue]
            }
            if !filter.includeRetired { conditions.append("active = 1") }
            if let cursor {
                conditions.append("code > ?")
                arguments += [cursor.afterCode]
            }
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            arguments += [size + 1]
            let sql = "SELECT \(ProductRecord.columns) FROM products\(whereClause) ORDER BY code LIMIT ?"
            let bound = arguments
            let records = try await asyncRead { db in
                // Cached by text: a list has few shapes (which filters are set, first page or not).
                try Row.fetchAll(db.cachedStatement(sql: sql), arguments: bound).map(ProductRecord.init(row:))
            }
            // One extra row says whether another page follows, so the last page has no cursor.
            let page = try records.prefix(size).map { try $0.product() }
            let next = records.count > size ? page.last.map { ProductCursor(afterCode: $0.code) } : nil
            return ProductPage(products: page, next: next)
        }
    }

    public func retireProduct(code: String) async throws -> Product {
        try await retireProduct(code: code, audit: nil)
    }

    public func retireProduct(code: String, audit: AuditStamp?) async throws -> Product {
        defer { catalog.invalidate() }
        return try await mappingErrors {
            try await pool.write { db in
                try AuditTables.append(db, stamp: audit, customerIDs: [], detail: "product \(code)")
                guard let current = try ProductRecord.fetch(db, code: code) else {
                    throw StoreError(.notFound, "no product with code \(code)")
                }
                let stored = try current.product()
                guard stored.active else { return stored }
                let now = Date()
                var retired = stored
                retired.active = false
                retired.retiredAt = max(now, stored.updatedAt)
                return try Self.saveRevision(retired, after: stored, db, now: now)
            }
        }
    }

    /// Writes `next` as the revision after `current`: same creation time, a later update time
    /// (never backwards, even if the clock steps back), a fresh etag.
    private static func saveRevision(_ next: Product, after current: Product, _ db: Database, now: Date) throws -> Product {
        var next = next
        next.createdAt = current.createdAt
        next.updatedAt = max(now, current.updatedAt)
        next.revision = current.revision + 1
        next.etag = freshEtag(replacing: current.etag)
        let record = try ProductRecord(next)
        try record.save(db)
        return try record.product()
    }

    private static func checkEtag(_ etag: String, of current: ProductRecord) throws {
        guard etag == current.etag else {
            throw StoreError(
                .etagMismatch, "product \(current.code) has changed since etag \(etag) was read; read it again and retry")
        }
    }
}
