import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct SegmentBackfillTests {
    /// Customers written by the previous schema (protobuf profiles of every tier, some without
    /// a date of birth, and one older JSON profile) are counted by the migration exactly as a
    /// recount counts them.
    @Test func backfillEqualsARecount() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        var random = SeededGenerator(seed: 63)
        let customers = (0..<150).map { index in
            var customer = makeCustomer(
                name: "Old \(index)", externalRef: "OLD-\(index)", tier: ValueTier.allCases.randomElement(using: &random) ?? .mass)
            customer.profile.products = randomHoldings((0..<8).map { "P\($0)" }, using: &random)
            customer.profile.dateOfBirth = randomDateOfBirth(using: &random)
            return customer
        }
        try await LegacyStoreFixture.write(at: path, upTo: "v5-coholding", customers: customers, jsonTier: .privateBanking)
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        let statistics = try await store.segmentStatistics()
        #expect(statistics == (try await store.recountedSegments()))
        #expect(statistics.customers.values.reduce(0, +) == 151)
        let json = SegmentCell(valueTier: .privateBanking, birthCohort: nil)
        #expect(statistics.holders(of: "P9", in: json) == 1)
        #expect(statistics.customers.keys.contains { $0.birthCohort == nil && $0.valueTier != .privateBanking })
        try store.close()
    }
}
