import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// Pairs are counted only between catalog products: a profile of codes the catalog does not
/// know costs one holder row per code, not one row per pair, and a code joining the catalog has
/// its pairs counted then, so the tables keep equalling a recount.
@Suite struct CatalogPairsTests {
    private static let opened = CalendarDate(year: 2020, month: 1, day: 1)

    private static func holdings(_ codes: [String]) -> [ProductHolding] {
        codes.enumerated().map { ProductHolding(productCode: $1, openedOn: opened.adding(days: $0)) }
    }

    @Test func unknownCodesAreNotPaired() async throws {
        try await withStore { store in
            try await store.installCatalog(["CARD", "CURRENT"])
            var customer = makeCustomer(name: "Many Codes")
            customer.profile.products = Self.holdings(["CURRENT", "CARD"] + (0..<98).map { "UNKNOWN_\($0)" })
            _ = try await store.create(customer, requestID: nil)

            let statistics = try await store.coholdingStatistics()
            #expect(statistics.pairs == [ProductPair("CARD", "CURRENT"): 1])
            #expect(statistics.sequences == [ProductPair("CURRENT", "CARD"): 1])
            #expect(statistics.holders.count == 100)
            let rows = try await store.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM coholding) + (SELECT count(*) FROM next_product)")
            }
            #expect(rows == 2)
        }
    }

    @Test func aCodeJoiningTheCatalogHasItsPairsCountedAndLaterWritesStayExact() async throws {
        try await withStore { store in
            try await store.installCatalog(["CARD", "CURRENT"])
            var first = makeCustomer(name: "First")
            first.profile.products = Self.holdings(["CURRENT", "LOAN", "CARD"])
            first = try await store.create(first, requestID: nil).customer
            var second = makeCustomer(name: "Second")
            second.profile.products = Self.holdings(["LOAN", "CARD"])
            _ = try await store.importCustomers([second])
            #expect(try await store.coholdingStatistics().pairs[ProductPair("CARD", "LOAN")] == nil)

            try await store.installCatalog(["LOAN"])
            let joined = try await store.coholdingStatistics()
            #expect(joined.pairs[ProductPair("CARD", "LOAN")] == 2)
            #expect(joined.pairs[ProductPair("CURRENT", "LOAN")] == 1)
            #expect(joined.sequences[ProductPair("CURRENT", "LOAN")] == 1)
            #expect(joined.sequences[ProductPair("LOAN", "CARD")] == 2)
            #expect(joined == (try await store.recountedCoholding()))

            // A write after the join takes out exactly what the join counted.
            _ = try await store.update(id: first.id, expectedEtag: nil, today: CalendarDate(year: 2025, month: 1, day: 1)) {
                customer, _ in customer.profile.products = Self.holdings(["CURRENT"])
            }
            let after = try await store.coholdingStatistics()
            #expect(after.pairs == [ProductPair("CARD", "LOAN"): 1])
            #expect(after == (try await store.recountedCoholding()))
            // Re-defining a known product counts nothing again.
            try await store.installCatalog(["LOAN"])
            #expect(try await store.coholdingStatistics() == after)
        }
    }

    /// A store written before pairs were limited to the catalog loses its pairs of unknown codes.
    @Test func theMigrationDropsPairsOfUnknownCodes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        try await LegacyStoreFixture.write(
            at: path, upTo: "v9-sparse-kind-comparisons", customers: [], jsonTier: .mass, catalog: ["P1", "P9"])
        let pool = try DatabasePool(path: path)
        try await pool.write { db in
            try db.execute(sql: """
                DELETE FROM coholding; DELETE FROM next_product;
                INSERT INTO coholding (product_a, product_b, holders) VALUES ('P1', 'P9', 1), ('JUNK', 'P1', 3), ('P9', 'ZZZ', 2);
                INSERT INTO next_product (from_code, to_code, count) VALUES ('P1', 'P9', 1), ('JUNK', 'P9', 4), ('P1', 'ZZZ', 1);
                """)
        }
        try pool.close()
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        let statistics = try await store.coholdingStatistics()
        #expect(statistics.pairs == [ProductPair("P1", "P9"): 1])
        #expect(statistics.sequences == [ProductPair("P1", "P9"): 1])
        try store.close()
    }
}
