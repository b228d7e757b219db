import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct SegmentMaintenanceTests {
    private static let codes = (0..<8).map { "P\($0)" }
    private static let segmenter = Segmenter(policy: .defaults)

    /// A customer with random holdings, date of birth, wealth and stored tier (the stored tier
    /// need not be the one the segmenter would compute, so re-segmentation moves some).
    private static func customer(_ index: Int, using random: inout SeededGenerator) -> Customer {
        var customer = makeCustomer(
            name: "Customer \(index)", externalRef: "EXT-\(index)", tier: ValueTier.allCases.randomElement(using: &random) ?? .mass,
            now: LogFixture.now)
        customer.profile.products = randomHoldings(codes, using: &random)
        customer.profile.dateOfBirth = randomDateOfBirth(using: &random)
        randomWealth(&customer.profile, using: &random)
        return customer
    }

    /// Every write that stores, replaces, re-segments or deletes customers, at random: the
    /// segment tables always equal a recount, their sizes add up to the customers, and the
    /// co-holding tables still equal theirs.
    @Test func matchesARecountAfterRandomWrites() async throws {
        try await withStore { store in
            var random = SeededGenerator(seed: 61)
            var ids = try await store.importCustomers((0..<80).map { Self.customer($0, using: &random) }).map(\.id)
            for step in 0..<300 {
                switch Int.random(in: 0..<12, using: &random) {
                case 0..<2:
                    ids.append(try await store.create(Self.customer(1000 + step, using: &random), requestID: nil).customer.id)
                case 2:
                    let batch = (0..<Int.random(in: 1...6, using: &random)).map { Self.customer(2000 + step * 10 + $0, using: &random) }
                    ids += try await store.importCustomers(batch).map(\.id)
                case 3..<7 where !ids.isEmpty:
                    try await Self.randomUpdate(store, id: ids.randomElement(using: &random) ?? "", using: &random)
                case 7..<9 where !ids.isEmpty:
                    let index = Int.random(in: 0..<ids.count, using: &random)
                    try await store.delete(id: ids.remove(at: index), expectedEtag: nil)
                case 9 where !ids.isEmpty:
                    // Logging re-segments the customer (the default policy may give another tier).
                    try await LogFixture.log(store, LogFixture.interaction(ids.randomElement(using: &random) ?? ""))
                case 10 where !ids.isEmpty:
                    let some = (0..<3).compactMap { _ in ids.randomElement(using: &random) }
                    _ = try await store.logBatch(
                        some.map { NewInteraction(interaction: LogFixture.interaction($0), requestID: nil) },
                        context: LogFixture.context())
                    try await store.importInteractions(
                        some.map { LogFixture.interaction($0, daysAgo: 3) }, context: LogFixture.context())
                case 11:
                    _ = try await store.resegmentStep(
                        after: nil, limit: 25, today: CalendarDate(utcDayOf: LogFixture.now), segmenter: Self.segmenter)
                default:
                    break
                }
            }
            #expect(ids.count > 60)
            let segments = try await store.segmentStatistics()
            #expect(segments == (try await store.recountedSegments()))
            #expect(segments.customers.values.reduce(0, +) == ids.count)
            #expect(try await store.storedCustomerCount() == ids.count)
            #expect(Set(segments.customers.keys.map(\.valueTier)).count == ValueTier.allCases.count)
            #expect(segments.customers.keys.contains { $0.birthCohort == nil })
            #expect(try await store.coholdingStatistics() == (try await store.recountedCoholding()))
            #expect(try await !store.statisticsHoldNonPositiveCounts())
        }
    }

    /// One update as a caller makes them: a new date of birth, new wealth (re-segmented, as the
    /// service does, so the tier may change), new products, or nothing counted (occupation).
    private static func randomUpdate(_ store: SQLiteCustomerStore, id: String, using random: inout SeededGenerator) async throws {
        let choice = Int.random(in: 0..<4, using: &random)
        let dateOfBirth = randomDateOfBirth(using: &random)
        var wealth = CustomerProfile()
        randomWealth(&wealth, using: &random)
        let products = randomHoldings(codes, using: &random)
        let today = CalendarDate(utcDayOf: LogFixture.now)
        _ = try await store.update(id: id, expectedEtag: nil, today: today) { [wealth] customer, activity in
            switch choice {
            case 0: customer.profile.dateOfBirth = dateOfBirth
            case 1:
                customer.profile.assetsUnderManagement = wealth.assetsUnderManagement
                customer.profile.annualIncome = wealth.annualIncome
            case 2: customer.profile.products = products
            default: customer.profile.occupation = "changed"
            }
            customer.segmentation = segmenter.segment(
                customer.profile, customerSince: customer.createdAt, activity: activity, today: today)
        }
    }

    /// Logging re-segments: a customer stored as mass whose assets make them affluent moves to
    /// the affluent cell, products and all; logging again (the tier stays) changes nothing.
    @Test func reSegmentationMovesTheCustomerBetweenCells() async throws {
        try await withStore { store in
            var stored = makeCustomer(tier: .mass, now: LogFixture.now)
            stored.profile.dateOfBirth = CalendarDate(year: 1987, month: 6, day: 1)
            let customer = try await store.create(stored, requestID: nil).customer
            let mass = SegmentCell(valueTier: .mass, birthCohort: 1985)
            #expect(try await store.segmentStatistics() == SegmentStatistics(customers: [mass: 1], holders: [mass: ["CURRENT": 1]]))

            try await LogFixture.log(store, LogFixture.interaction(customer.id))
            let affluent = SegmentCell(valueTier: .affluent, birthCohort: 1985)
            let moved = try await store.segmentStatistics()
            #expect(moved == SegmentStatistics(customers: [affluent: 1], holders: [affluent: ["CURRENT": 1]]))

            try await LogFixture.log(store, LogFixture.interaction(customer.id, .complaint))
            #expect(try await store.segmentStatistics() == moved)
        }
    }

    /// Writes that fail (a duplicate external ref, an import with one, a change closure that
    /// throws, a stale etag) leave every count as it was.
    @Test func aFailedWriteLeavesTheCountsUnchanged() async throws {
        try await withStore { store in
            var random = SeededGenerator(seed: 62)
            let first = try await store.create(Self.customer(1, using: &random), requestID: nil).customer
            let before = try await store.segmentStatistics()
            let coholdingBefore = try await store.coholdingStatistics()

            var duplicate = Self.customer(2, using: &random)
            duplicate.externalRef = first.externalRef
            duplicate.profile.products = [ProductHolding(productCode: "P1")]
            #expect(await storeError { _ = try await store.create(duplicate, requestID: nil) } != nil)
            #expect(await storeError { _ = try await store.importCustomers([Self.customer(3, using: &random), duplicate]) } != nil)
            await #expect(throws: RejectedChange.self) {
                _ = try await store.update(id: first.id, expectedEtag: nil, today: CalendarDate(year: 2025, month: 1, day: 1)) {
                    customer, _ in
                    customer.profile.dateOfBirth = CalendarDate(year: 1950, month: 1, day: 1)
                    customer.segmentation.valueTier = .privateBanking
                    throw RejectedChange(field: "date_of_birth")
                }
            }
            #expect(await storeError { try await store.delete(id: first.id, expectedEtag: "stale") }?.kind == .etagMismatch)

            #expect(try await store.segmentStatistics() == before)
            #expect(try await store.coholdingStatistics() == coholdingBefore)
            #expect(before.customers.values.reduce(0, +) == 1)
        }
    }
}
