import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct CoholdingBackfillTests {
    /// Customers written by the previous schema (protobuf profiles, and one older JSON profile)
    /// are counted by the migration exactly as a recount counts them.
    @Test func backfillEqualsARecount() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        var random = SeededGenerator(seed: 5)
        let customers = (0..<120).map { index in
            var customer = makeCustomer(name: "Old \(index)", externalRef: "OLD-\(index)")
            customer.profile.products = randomHoldings((0..<8).map { "P\($0)" }, using: &random)
            return customer
        }
        // P7 is not in the catalog: its holders are counted, its pairs are not.
        try await LegacyStoreFixture.write(
            at: path, upTo: "v4-products", customers: customers, jsonTier: .mass, catalog: (0..<10).filter { $0 != 7 }.map { "P\($0)" })
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        let statistics = try await store.coholdingStatistics()
        #expect(statistics == (try await store.recountedCoholding()))
        #expect(statistics.holders["P9"] == 1)
        #expect(statistics.pairs[ProductPair("P1", "P9")] == 1)
        #expect(statistics.holders["P7", default: 0] > 0)
        #expect(!statistics.pairs.keys.contains { $0.first == "P7" || $0.second == "P7" })
        try store.close()
    }
}
