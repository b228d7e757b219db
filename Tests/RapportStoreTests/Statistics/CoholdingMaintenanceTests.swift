import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct CoholdingMaintenanceTests {
    private static let codes = (0..<10).map { "P\($0)" }
    private static let today = CalendarDate(year: 2025, month: 1, day: 1)

    private static func customer(_ index: Int, using random: inout SeededGenerator) -> Customer {
        var customer = makeCustomer(name: "Customer \(index)", externalRef: "EXT-\(index)")
        customer.profile.products = randomHoldings(codes, using: &random)
        return customer
    }

    /// Creates, product updates, deletes and a bulk import over ~200 customers: the tables always
    /// equal a recount, and never hold a zero.
    @Test func matchesARecountAfterRandomWrites() async throws {
        try await withStore { store in
            // All but P9: its pairs must not be counted.
            try await store.installCatalog(Array(Self.codes.dropLast()))
            var random = SeededGenerator(seed: 6)
            var ids: [String] = []
            let imported = try await store.importCustomers((0..<100).map { Self.customer($0, using: &random) })
            ids += imported.map(\.id)
            for step in 0..<400 {
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<3:
                    ids.append(try await store.create(Self.customer(1000 + step, using: &random), requestID: nil).customer.id)
                case 3..<8 where !ids.isEmpty:
                    let products = randomHoldings(Self.codes, using: &random)
                    let keepProducts = Int.random(in: 0..<5, using: &random) == 0
                    _ = try await store.update(id: ids.randomElement(using: &random) ?? "", expectedEtag: nil, today: Self.today) {
                        customer, _ in
                        if keepProducts { customer.profile.occupation = "changed" } else { customer.profile.products = products }
                    }
                case 8..<10 where !ids.isEmpty:
                    let index = Int.random(in: 0..<ids.count, using: &random)
                    try await store.delete(id: ids.remove(at: index), expectedEtag: nil)
                default:
                    break
                }
            }
            #expect(ids.count > 120)
            let statistics = try await store.coholdingStatistics()
            #expect(statistics == (try await store.recountedCoholding()))
            #expect(!statistics.pairs.isEmpty && !statistics.sequences.isEmpty)
            #expect(statistics.holders["P9", default: 0] > 0)
            #expect(!statistics.pairs.keys.contains { $0.first == "P9" || $0.second == "P9" })
            #expect(!statistics.sequences.keys.contains { $0.first == "P9" || $0.second == "P9" })
            #expect(!statistics.holders.values.contains { $0 <= 0 })
            #expect(!statistics.pairs.values.contains { $0 <= 0 })
        }
    }

    /// A create rejected by a constraint (a duplicate external ref) and a rejected import leave
    /// the counts as they were.
    @Test func aFailedWriteLeavesTheStatisticsUnchanged() async throws {
        try await withStore { store in
            var random = SeededGenerator(seed: 7)
            var first = Self.customer(1, using: &random)
            first.profile.products = [ProductHolding(productCode: "P1"), ProductHolding(productCode: "P2")]
            _ = try await store.create(first, requestID: nil)
            let before = try await store.coholdingStatistics()

            var duplicate = Self.customer(2, using: &random)
            duplicate.externalRef = first.externalRef
            duplicate.profile.products = [ProductHolding(productCode: "P1"), ProductHolding(productCode: "P3")]
            #expect(await storeError { _ = try await store.create(duplicate, requestID: nil) } != nil)
            var other = Self.customer(3, using: &random)
            other.profile.products = [ProductHolding(productCode: "P4")]
            #expect(await storeError { _ = try await store.importCustomers([other, duplicate]) } != nil)

            #expect(try await store.coholdingStatistics() == before)
            #expect(before.holders == ["P1": 1, "P2": 1])
        }
    }
}
