import GRDB
import RapportDomain
@testable import RapportStore

/// The co-holding statistics counted the slow, obvious way from every stored customer, written
/// apart from `HeldProducts` so the two check each other: holders of every code, pairs and
/// sequences only between codes of the catalog (the `products` table).
func recountCoholding(_ db: Database) throws -> CoholdingStatistics {
    let catalog = Set(try String.fetchAll(db, sql: "SELECT code FROM products"))
    var statistics = CoholdingStatistics()
    for row in try Row.fetchAll(db, sql: "SELECT * FROM customers") {
        let holdings = try CustomerRecord(row: row, db).profile.products.filter { $0.closedOn == nil }
        let codes = Set(holdings.map(\.productCode)).sorted()
        func opened(_ code: String) -> CalendarDate? {
            holdings.filter { $0.productCode == code }.compactMap(\.openedOn).min()
        }
        for a in codes {
            statistics.holders[a, default: 0] += 1
            for b in codes where a != b && catalog.contains(a) && catalog.contains(b) {
                if a < b { statistics.pairs[ProductPair(a, b), default: 0] += 1 }
                // A product none of whose open holdings is dated has no order.
                if let from = opened(a), let to = opened(b), from < to {
                    statistics.sequences[ProductPair(a, b), default: 0] += 1
                }
            }
        }
    }
    return statistics
}

extension SQLiteCustomerStore {
    /// Adds a product for each of `codes` to the catalog, so that their pairs are counted.
    func installCatalog(_ codes: [String]) async throws {
        for code in codes {
            _ = try await upsertProduct(makeProduct(code), expectedEtag: nil)
        }
    }

    /// The recount of what is stored now.
    func recountedCoholding() async throws -> CoholdingStatistics {
        try await pool.read { try recountCoholding($0) }
    }
}

/// Random holdings over `codes`, some closed, some undated, some products twice.
func randomHoldings(_ codes: [String], using random: inout SeededGenerator) -> [ProductHolding] {
    (0..<Int.random(in: 0...5, using: &random)).map { _ in
        let opened = Bool.random(using: &random) || Bool.random(using: &random)
            ? CalendarDate(year: 2020, month: Int.random(in: 1...12, using: &random), day: Int.random(in: 1...3, using: &random))
            : nil
        let closed = Int.random(in: 0..<4, using: &random) == 0 ? CalendarDate(year: 2024, month: 6, day: 1) : nil
        return ProductHolding(productCode: codes.randomElement(using: &random) ?? "A", openedOn: opened, closedOn: closed)
    }
}
