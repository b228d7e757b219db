import GRDB
import RapportDomain

/// Writes and reads `product_holders`, `coholding` and `next_product`, always inside the
/// caller's transaction so the counts commit or roll back with the customers that changed them.
///
/// Rows whose count reaches 0 are deleted (see `CountTable`), so the tables list only products
/// and pairs someone holds.
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
            delta.add(from: nil, to: HeldProducts(try CustomerRecord(row: row).profile.products))
        }
        try apply(delta, db)
    }
}
