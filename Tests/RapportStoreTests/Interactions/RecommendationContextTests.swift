import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct RecommendationContextTests {
    private static let today = CalendarDate(utcDayOf: LogFixture.now)

    /// Contacts over 40 days of every kind (and two open complaints, one raised after the as-of day).
    private static func populated(_ store: SQLiteCustomerStore) async throws -> (Customer, [Interaction]) {
        let customer = try await OfferFixture.consentingCustomer(store)
        var logged: [Interaction] = []
        let kinds: [InteractionKind] = [.inquiry, .transaction, .note, .offerDeclined, .marketingContact, .followUp, .offerIgnored]
        for day in 0..<40 {
            let kind = kinds[day % kinds.count]
            var interaction = LogFixture.interaction(customer.id, kind, channel: .email, daysAgo: Double(day) + 0.25)
            if kind.offerOutcome != nil { interaction.productCode = "CARD" }
            logged.append(try await LogFixture.logged(store, interaction))
        }
        logged.append(try await LogFixture.logged(store, LogFixture.interaction(customer.id, .complaint, daysAgo: 10)))
        logged.append(try await LogFixture.logged(store, LogFixture.interaction(customer.id, .surveyResponse, daysAgo: 0.1, score: 2)))
        return (customer, logged)
    }

    @Test func historyIsFilteredCutAtTheAsOfDayAndNewestFirst() async throws {
        try await withStore { store in
            let (customer, logged) = try await Self.populated(store)
            let asOf = Self.today.adding(days: -5)
            let context = try await store.recommendationContext(customerID: customer.id, asOf: asOf, lookbackDays: 20, limit: 100)
            let end = asOf.adding(days: 1).utcStart
            let start = asOf.adding(days: -20).utcStart
            let expected = logged
                .filter { RecommendationContext.historyKinds.contains($0.kind) && $0.occurredAt < end && $0.occurredAt >= start }
                .sorted { ($0.occurredAt, $0.id) > ($1.occurredAt, $1.id) }
            #expect(!expected.isEmpty)
            #expect(context.history == expected)
            #expect(context.customer == (try await store.customer(id: customer.id)))
            #expect(context.consents == [ConsentFixtures.marketingEmail(granted: true)])
            // The complaint (10 days ago) was open by then; the detractor response came later.
            #expect(context.openFollowUps.map(\.reason) == [.complaint])
            let now = try await store.recommendationContext(customerID: customer.id, asOf: Self.today, lookbackDays: 20, limit: 100)
            #expect(Set(now.openFollowUps.map(\.reason)) == [.complaint, .detractor])
        }
    }

    @Test func lookbackAndLimitBoundTheHistory() async throws {
        try await withStore { store in
            let (customer, _) = try await Self.populated(store)
            let all = try await store.recommendationContext(customerID: customer.id, asOf: Self.today, lookbackDays: 60, limit: 1000)
            let window = try await store.recommendationContext(customerID: customer.id, asOf: Self.today, lookbackDays: 3, limit: 1000)
            #expect(window.history == all.history.filter { $0.occurredAt >= Self.today.adding(days: -3).utcStart })
            #expect(window.history.count < all.history.count)
            let first = try await store.recommendationContext(customerID: customer.id, asOf: Self.today, lookbackDays: 60, limit: 4)
            #expect(first.history == Array(all.history.prefix(4)))
            #expect(try await store.recommendationContext(customerID: customer.id, asOf: Self.today, lookbackDays: 60, limit: 0).history == [])
        }
    }

    @Test func declinesAreReadFurtherBackThanTheRest() async throws {
        try await withStore { store in
            let (customer, _) = try await Self.populated(store)
            let all = try await store.recommendationContext(customerID: customer.id, asOf: Self.today, lookbackDays: 60, limit: 1000)
            let split = try await store.recommendationContext(
                customerID: customer.id, asOf: Self.today, lookbackDays: 5, declineLookbackDays: 60, limit: 1000)
            let since = Self.today.adding(days: -5).utcStart
            #expect(split.history == all.history.filter { $0.occurredAt >= since || $0.kind == .offerDeclined })
            #expect(split.history.contains { $0.kind == .offerDeclined && $0.occurredAt < since })
            #expect(!split.history.contains { $0.kind == .inquiry && $0.occurredAt < since })
        }
    }

    @Test func anUnknownCustomerIsNotFound() async throws {
        try await withStore { store in
            let error = await storeError {
                _ = try await store.recommendationContext(customerID: "cus_missing", asOf: Self.today, lookbackDays: 30, limit: 10)
            }
            #expect(error?.kind == .notFound)
        }
    }

    /// One range of `interactions_by_customer_time`, in order: no sort, no other index.
    @Test func theHistoryWalksOneCustomerIndexRange() async throws {
        try await InteractionReadPlanTests.withAnalyzedStore { store in
            let read = try RecommendationContextRead(
                customerID: "cus_1", asOf: Self.today, lookbackDays: 60, declineLookbackDays: 365, limit: 50)
            let plan = try await InteractionReadPlanTests.plan(store, RecommendationContextRead.historySQL, read.historyArguments)
            #expect(plan.hasPrefix("SEARCH interactions USING INDEX interactions_by_customer_time (customer_id=? AND occurred_at>"), "\(plan)")
            #expect(!plan.contains("\n"), "one index, nothing else:\n\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "no sort:\n\(plan)")
            // The older declines: one range of the (customer, kind) index of the sparse kinds, in order.
            let declines = try await InteractionReadPlanTests.plan(
                store, RecommendationContextRead.olderDeclinesSQL, ["cus_1", 0, 1, 10])
            #expect(declines.hasPrefix("SEARCH interactions USING INDEX interactions_by_customer_sparse_kind (customer_id=? AND kind=? AND occurred_at>"), "\(declines)")
            #expect(!declines.contains("TEMP B-TREE"), "no sort:\n\(declines)")
        }
    }
}
