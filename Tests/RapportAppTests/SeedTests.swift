import Foundation
import RapportApp
import RapportDomain
import RapportStore
import Testing

@Suite("Synthetic demo customers")
struct SeedTests {
    let today = CalendarDate(year: 2026, month: 11, day: 23)

    @Test func theSameSeedGivesTheSameCustomersAndAnotherSeedOthers() {
        let first = SyntheticCustomers(seed: 7)
        let again = SyntheticCustomers(seed: 7)
        let other = SyntheticCustomers(seed: 8)
        for index in [0, 1, 500, 99_999] {
            #expect(first.customer(index, today: today).profile == again.customer(index, today: today).profile)
        }
        #expect((0..<20).contains { first.customer($0, today: today).profile != other.customer($0, today: today).profile })
    }

    @Test func generatedProfilesAreValidAndSpreadAcrossSegments() {
        let customers = SyntheticCustomers(seed: 1)
        let segmenter = Segmenter(policy: .defaults)
        var tiers: [ValueTier: Int] = [:]
        for index in 0..<2000 {
            let (profile, days) = customers.customer(index, today: today)
            #expect(CustomerValidator.validate(profile, externalRef: "SEED-1-\(index)", today: today) == nil, "customer \(index)")
            let since = Date(timeIntervalSince1970: 1_795_000_000 - Double(days) * 86_400)
            tiers[segmenter.segment(profile, customerSince: since, activity: nil, today: today).valueTier, default: 0] += 1
        }
        // A retail book: mostly mass, a real affluent share, a thin private tail.
        #expect(tiers[.mass, default: 0] > 1000)
        #expect(tiers[.affluent, default: 0] > 50)
        #expect(tiers[.privateBanking, default: 0] > 0)
        #expect(tiers[.privateBanking, default: 0] < tiers[.affluent, default: 0])
    }

    @Test func customersOfTheLastYearJoinedOnDifferentDays() {
        let customers = SyntheticCustomers(seed: 1)
        let recent = (0..<2000).map { customers.customer($0, today: today).joinedDaysAgo }.filter { $0 < 365 }
        #expect(recent.count > 20)
        #expect(Set(recent).count > recent.count / 2)
    }

    @Test func seedingFillsTheStoreOnceAndRefusesToDuplicate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-seed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory))
        let seeder = Seeder(store: store, policy: .defaults, seed: 3)
        var reported: [Int] = []
        try await seeder.seed(count: 2500) { reported.append($0.customers) }
        #expect(reported == [1000, 2000, 2500])
        let page = try await store.list(CustomerQuery(), pageSize: 1000, after: nil)
        #expect(page.customers.count == 1000)
        #expect(try await store.customer(externalRef: "SEED-3-2499") != nil)
        await #expect(throws: StoreError.self) { try await seeder.seed(count: 10) { _ in } }
        try store.close()
    }
}
