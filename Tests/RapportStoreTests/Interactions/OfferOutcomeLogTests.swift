import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// Logging offer outcomes: the profile change of an acceptance and the counts of every outcome.
@Suite struct OfferOutcomeLogTests {
    @Test func anAcceptanceAddsTheHoldingAndMovesTheCoholdingCounts() async throws {
        try await withStore { store in
            try await store.installCatalog(["CARD", "CURRENT"])
            let customer = try await LogFixture.customer(store)
            _ = try await store.customer(id: customer.id)  // cached, so the write must keep the cache coherent
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .accepted, daysAgo: 2))

            let stored = try #require(try await store.customer(id: customer.id))
            let openedOn = CalendarDate(utcDayOf: LogFixture.now.addingTimeInterval(-2 * LogFixture.day))
            #expect(stored.profile.products == customer.profile.products + [ProductHolding(productCode: "CARD", openedOn: openedOn)])
            #expect(stored.etag != customer.etag)
            #expect(stored.updatedAt == LogFixture.now)
            let statistics = try await store.coholdingStatistics()
            #expect(statistics.holders["CARD"] == 1)
            #expect(statistics.pairs[ProductPair.unordered("CARD", "CURRENT")] == 1)
            #expect(statistics.sequences[ProductPair("CURRENT", "CARD")] == 1)
            #expect(statistics == (try await store.recountedCoholding()))
            // Re-segmented from the new profile: a fresh read decodes what is stored.
            let uncached = try await store.pool.read { db in
                try CustomerRecord.fetchOne(db, key: customer.id)?.customer()
            }
            #expect(uncached == stored)
        }
    }

    @Test func acceptingAHeldProductAddsNothing() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .accepted, product: "CURRENT"))
            let stored = try #require(try await store.customer(id: customer.id))
            #expect(stored.profile.products == customer.profile.products)
            #expect(stored.etag == customer.etag)
            #expect(try await store.offerStatistics().byProduct["CURRENT"] == OfferCounts(accepted: 1))
        }
    }

    @Test(arguments: [OfferOutcome.presented, .declined, .ignored])
    func otherOutcomesLeaveTheProfile(_ outcome: OfferOutcome) async throws {
        try await withStore { store in
            let customer = try await OfferFixture.consentingCustomer(store)
            let before = try #require(try await store.customer(id: customer.id))
            let logged = try await OfferFixture.log(store, OfferFixture.entry(customer.id, outcome, reasons: ["COHOLDING"]))
            let after = try #require(try await store.customer(id: customer.id))
            #expect(after.profile == before.profile)
            #expect(after.etag == before.etag)
            #expect(try await store.coholdingStatistics().holders["CARD"] == nil)
            // The kind round-trips through its stored name (offerIgnored included).
            let page = try await store.interactions(customerID: customer.id, filter: InteractionFilter(), pageSize: 10, after: nil)
            #expect(page.interactions == [logged.interaction])
            #expect(page.interactions.first?.kind == outcome.interactionKind)
        }
    }

    @Test func ignoredOffersAreNoActivity() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .ignored))
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .declined))
            #expect(try await store.integer("SELECT SUM(contacts) FROM customer_activity") == 1)
        }
    }

    /// An offer with two reasons counts once under each and once in its product's total; a
    /// repeated reason counts once.
    @Test func countsPerProductAndPerReason() async throws {
        try await withStore { store in
            let customer = try await OfferFixture.consentingCustomer(store)
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .presented, reasons: ["COHOLDING", "RECENT_INTEREST"]))
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .accepted, reasons: ["COHOLDING"]))
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .declined, product: "LOAN", reasons: ["RECENT_INTEREST", "RECENT_INTEREST"]))
            try await OfferFixture.log(store, OfferFixture.entry(customer.id, .ignored, product: "LOAN"))
            let statistics = try await store.offerStatistics()
            #expect(statistics.byProduct == [
                "CARD": OfferCounts(presented: 1, accepted: 1), "LOAN": OfferCounts(declined: 1, ignored: 1),
            ])
            #expect(statistics.byReason == [
                "COHOLDING": OfferCounts(presented: 1, accepted: 1), "RECENT_INTEREST": OfferCounts(presented: 1, declined: 1),
            ])
            #expect(try await store.rowCount("offer_outcomes") == 5)
        }
    }

    @Test func aReplayedRequestCountsOnce() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let entry = OfferFixture.entry(customer.id, .accepted, reasons: ["COHOLDING"], requestID: "offer-1")
            let first = try await OfferFixture.log(store, entry)
            let etag = try await store.customer(id: customer.id)?.etag
            let second = try await OfferFixture.log(store, entry)
            #expect(second == .replayed(first.interaction))
            #expect(try await store.customer(id: customer.id)?.etag == etag)
            let statistics = try await store.offerStatistics()
            #expect(statistics.byProduct["CARD"] == OfferCounts(accepted: 1))
            #expect(statistics.byReason["COHOLDING"] == OfferCounts(accepted: 1))
            #expect(try await store.coholdingStatistics().holders["CARD"] == 1)
        }
    }

    /// Concurrent calls share group commits: the refused ones (unknown customer, no marketing
    /// consent, an outcome logged as the wrong kind) count nothing and change no profile.
    @Test func failingEntriesInAGroupLeaveNoCounts() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let calls = 60
            let kinds = await withTaskGroup(of: StoreError.Kind?.self) { group in
                for index in 0..<calls {
                    group.addTask {
                        var entry: NewInteraction
                        switch index % 4 {
                        case 0: entry = OfferFixture.entry(customer.id, .declined, reasons: ["R\(index % 3)"])
                        case 1: entry = OfferFixture.entry("cus_missing", .accepted, product: "LOAN", reasons: ["R0"])
                        case 2: entry = OfferFixture.entry(customer.id, .presented, product: "LOAN", reasons: ["R0"], channel: .sms)
                        default:
                            entry = OfferFixture.entry(customer.id, .accepted, product: "LOAN", reasons: ["R0"])
                            entry.interaction.kind = .offerDeclined
                        }
                        return await storeError { try await OfferFixture.log(store, entry) }?.kind
                    }
                }
                return await group.reduce(into: [StoreError.Kind?]()) { $0.append($1) }
            }
            #expect(kinds.filter { $0 == nil }.count == calls / 4)
            #expect(kinds.filter { $0 == .notFound }.count == calls / 4)
            #expect(kinds.filter { $0 == .preconditionFailed }.count == calls / 4)
            #expect(kinds.filter { $0 == .other }.count == calls / 4)
            let statistics = try await store.offerStatistics()
            #expect(statistics.byProduct == ["CARD": OfferCounts(declined: calls / 4)])
            #expect(statistics.byReason.values.reduce(OfferCounts(), +) == OfferCounts(declined: calls / 4))
            #expect(try await store.customer(id: customer.id)?.profile == customer.profile)
            #expect(try await store.coholdingStatistics().holders["LOAN"] == nil)
        }
    }

    @Test func aRefusedBatchCountsNothing() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let entries = [
                OfferFixture.entry(customer.id, .accepted, reasons: ["COHOLDING"]),
                OfferFixture.entry("cus_missing", .declined),
            ]
            let error = await storeError { _ = try await store.logBatch(entries, context: LogFixture.context()) }
            guard case .batchRejected = error?.kind else {
                Issue.record("expected a rejected batch, got \(String(describing: error))")
                return
            }
            #expect(try await store.rowCount("offer_outcomes") == 0)
            #expect(try await store.customer(id: customer.id)?.profile == customer.profile)
            #expect(try await store.coholdingStatistics().holders["CARD"] == nil)
        }
    }
}
