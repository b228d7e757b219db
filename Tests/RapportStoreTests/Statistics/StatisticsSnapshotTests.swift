import Foundation
import RapportDomain
import Synchronization
import Testing
@testable import RapportStore

@Suite struct StatisticsSnapshotTests {
    /// The snapshot holds what a recount gives, in one piece: co-holding, segments, and the
    /// customer count (the sum of the cell sizes) equal to the stored customers.
    @Test func theSnapshotEqualsARecount() async throws {
        try await withStore { store in
            var random = SeededGenerator(seed: 64)
            _ = try await store.importCustomers((0..<40).map { index in
                var customer = makeCustomer(name: "C \(index)", tier: ValueTier.allCases.randomElement(using: &random) ?? .mass)
                customer.profile.products = randomHoldings((0..<6).map { "P\($0)" }, using: &random)
                customer.profile.dateOfBirth = randomDateOfBirth(using: &random)
                return customer
            })
            let snapshot = try await store.recommendationStatistics(maxAge: .seconds(60))
            #expect(snapshot.customers == 40)
            #expect(snapshot.customers == (try await store.storedCustomerCount()))
            #expect(snapshot.segments == (try await store.recountedSegments()))
            #expect(snapshot.coholding == (try await store.recountedCoholding()))
            #expect(snapshot.offers == OfferStatistics())
        }
    }

    /// Within `maxAge` the kept snapshot comes back without a read, so a new customer is not in
    /// it; a call allowing less age than the snapshot has reads again and sees the customer.
    @Test func aSnapshotIsKeptForMaxAge() async throws {
        try await withStore { store in
            let first = try await store.recommendationStatistics(maxAge: .seconds(3600))
            #expect(first.customers == 0)
            _ = try await store.create(makeCustomer(), requestID: nil)
            #expect(try await store.recommendationStatistics(maxAge: .seconds(3600)) == first)
            #expect(store.statisticsSnapshot.reads == 1)

            try await Task.sleep(for: .milliseconds(20))
            let later = try await store.recommendationStatistics(maxAge: .milliseconds(10))
            #expect(later.customers == 1)
            #expect(later.segments.size(of: SegmentCell(valueTier: .mass, birthCohort: 1980)) == 1)
            #expect(store.statisticsSnapshot.reads == 2)
        }
    }

    /// Many concurrent first calls are all answered, by one read.
    @Test func concurrentCallersAreAllAnswered() async throws {
        try await withStore { store in
            _ = try await store.create(makeCustomer(), requestID: nil)
            let answers = try await withThrowingTaskGroup(of: RecommendationStatistics.self) { group in
                for _ in 0..<64 {
                    group.addTask { try await store.recommendationStatistics(maxAge: .seconds(3600)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == 64)
            #expect(answers.allSatisfy { $0.customers == 1 && $0 == answers[0] })
            #expect(store.statisticsSnapshot.reads == 1)
        }
    }
}
