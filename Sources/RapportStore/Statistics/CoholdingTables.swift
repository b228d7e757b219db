import Foundation
import GRDB
import RapportDomain

/// Writes and reads `product_holders`, `coholding` and `next_product`, always inside the
/// caller's transaction so the counts commit or roll back with the customers that changed them.
///
/// Rows whose count reaches 0 are deleted (see `CountTable`), so the tables list only products
/// and pairs someone holds. Pairs (`coholding`, `next_product`) are counted only between codes of
/// the catalog (the `products` table, retired products included): a holding of any other code
/// counts in `product_holders` alone, so a profile listing many unknown codes costs the writer
/// one row per code, not one per pair. A code joining the catalog has its pairs counted then
/// (`catalogGained`).
enum CoholdingTables {
    private static let holders = CountTable(table: "product_holders", keys: ["product_code"], count: "holders")
    private static let coholding = CountTable(table: "coholding", keys: ["product_a", "product_b"], count: "holders")
    private static let nextProduct = CountTable(table: "next_product", keys: ["from_code", "to_code"], count: "count")

    /// Applies `delta` with cached upserts; one statement per changed count.
    static func apply(_ delta: CoholdingDelta, _ db: Database) throws {
        for (code, change) in delta.holders {
            try holders.add(change, to: [code], db)
        }
        for (pair, change) in delta.pairs {
            try coholding.add(change, to: [pair.first, pair.second], db)
        }
        for (pair, change) in delta.sequences {
            try nextProduct.add(change, to: [pair.first, pair.second], db)
        }
    }

    /// Applies a customer write's `delta`, its pairs restricted to the catalog's codes.
    static func applyAmongCatalog(_ delta: CoholdingDelta, _ db: Database) throws {
        guard !delta.pairs.isEmpty || !delta.sequences.isEmpty else { return try apply(delta, db) }
        try apply(delta.pairedOnly(among: catalogCodes(db)), db)
    }

    /// Every code of the catalog, retired products included.
    static func catalogCodes(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT code FROM products")))
    }

    /// Counts the pairs of `code`, new to the catalog, from the customers holding it; in the
    /// transaction that added it. Holdings are sealed in the profile, so every customer is
    /// opened (a catalog addition is rare; the pairs of customers without the code add nothing).
    static func catalogGained(_ code: String, _ db: Database) throws {
        let known = try catalogCodes(db)
        var delta = CoholdingDelta()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM customers")
        while let row = try rows.next() {
            delta.addPairs(of: code, in: HeldProducts(try CustomerRecord(row: row, db).profile.products), among: known)
        }
        try apply(delta, db)
    }

    /// Every count, as the tables hold them now.
    static func read(_ db: Database) throws -> CoholdingStatistics {
        var statistics = CoholdingStatistics()
        for row in try Row.fetchAll(db, sql: "SELECT product_code, holders FROM product_holders") {
            statistics.holders[try row.decode(forColumn: "product_code")] = try row.decode(forColumn: "holders")
        }
        statistics.pairs = try pairs(db, sql: "SELECT product_a, product_b, holders FROM coholding")
        statistics.sequences = try pairs(db, sql: "SELECT from_code, to_code, count FROM next_product")
        return statistics
    }

    private static func pairs(_ db: Database, sql: String) throws -> [ProductPair: Int] {
        var counts: [ProductPair: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql) {
            let pair = ProductPair(try row.decode(atIndex: 0), try row.decode(atIndex: 1))
            counts[pair] = try row.decode(atIndex: 2)
        }
        return counts
    }

    /// Recounts every stored customer (the migration's backfill), decoding rows with the store's
    /// own record code so protobuf and older JSON profiles both count.
    static func backfill(_ db: Database) throws {
        var delta = CoholdingDelta()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM customers")
        while let row = try rows.next() {
            delta.add(from: nil, to: HeldProducts(try CustomerRecord(row: row, db).profile.products))
        }
        try applyAmongCatalog(delta, db)
    }
}
