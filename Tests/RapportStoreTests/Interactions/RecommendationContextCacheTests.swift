import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// A recommendation's consents, open follow-ups and history come from a cache that every write
/// path, and every cascade, invalidates through the writer's temporary triggers.
@Suite struct RecommendationContextCacheTests {
    private static let today = CalendarDate(utcDayOf: LogFixture.now)
    /// The writer's temporary triggers but those of `ActivitySummaryTable`, by name.
    private static let contextTriggersSQL =
        "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name NOT LIKE 'rapport_activity_%' ORDER BY name"

    private static func context(_ store: SQLiteCustomerStore, _ customerID: String, asOf: CalendarDate = today) async throws
        -> RecommendationContext
    {
        try await store.recommendationContext(customerID: customerID, asOf: asOf, lookbackDays: 30, limit: 100)
    }

    @Test func aReadIsKeptAndServesTheNextOne() async throws {
        try await withStore { store in
            let customer = try await OfferFixture.consentingCustomer(store)
            let first = try await Self.context(store, customer.id)
            #expect(store.recommendationContexts.entry(customerID: customer.id)?.consents == first.consents)
            // A row written on another connection (no triggers there, as no daemon path does) is
            // not seen: the second read came from the cache. (Its detail is plain text: a sealed one
            // copied to another sequence number would not open there.)
            let other = try DatabaseQueue(path: store.directory.filePath(StoreConfiguration.databaseFileName))
            try await other.write { db in
                try db.execute(sql: """
                    INSERT INTO consent_decisions (customer_id, seq, channel, purpose, granted, decided_at, source,
                        source_detail, recorded_by, recorded_at)
                    SELECT customer_id, seq + 1, channel, purpose, 0, decided_at, source, 'copied', recorded_by, recorded_at
                    FROM consent_decisions WHERE customer_id = ?
                    """, arguments: [customer.id])
            }
            try other.close()
            #expect(try await Self.context(store, customer.id).consents == first.consents)
            #expect(try await store.consentHistory(customerID: customer.id).count == first.consents.count + 1)
        }
    }

    @Test func aRecordedConsentIsSeenByTheNextRead() async throws {
        try await withStore { store in
            let customer = try await OfferFixture.consentingCustomer(store)
            #expect(try await Self.context(store, customer.id).consents == [ConsentFixtures.marketingEmail(granted: true)])
            let withdrawn = ConsentFixtures.marketingEmail(granted: false, at: 1_700_000_100)
            _ = try await store.appendConsent(customerID: customer.id, [withdrawn])
            #expect(store.recommendationContexts.entry(customerID: customer.id) == nil)
            #expect(try await Self.context(store, customer.id).consents == [ConsentFixtures.marketingEmail(granted: true), withdrawn])
        }
    }

    @Test func aComplaintOpensAnItemAndItsFollowUpClosesIt() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            #expect(try await Self.context(store, customer.id).openFollowUps.isEmpty)
            let complaint = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .complaint, daysAgo: 1))
            #expect(try await Self.context(store, customer.id).openFollowUps.map(\.interaction) == [complaint])
            try await LogFixture.log(store, LogFixture.interaction(customer.id, .followUp, daysAgo: 0.5, followUpOf: complaint.id))
            #expect(try await Self.context(store, customer.id).openFollowUps.isEmpty)
        }
    }

    @Test func anEarlierAsOfDayLeavesOutItemsRaisedAfterItFromTheCachedEntry() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let older = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .complaint, daysAgo: 10))
            let newer = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .complaint, daysAgo: 2))
            #expect(Set(try await Self.context(store, customer.id).openFollowUps.map(\.interaction)) == [older, newer])
            #expect(store.recommendationContexts.entry(customerID: customer.id)?.openFollowUps.count == 2)
            let asOf = Self.today.adding(days: -5)
            #expect(try await Self.context(store, customer.id, asOf: asOf).openFollowUps.map(\.interaction) == [older])
        }
    }

    @Test func aLoggedHistoryKindIsSeenAndATransactionKeepsTheEntry() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            #expect(try await Self.context(store, customer.id).history.isEmpty)
            try await LogFixture.log(store, LogFixture.interaction(customer.id, .transaction, daysAgo: 1))
            #expect(store.recommendationContexts.entry(customerID: customer.id) != nil)
            let inquiry = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: 1))
            #expect(store.recommendationContexts.entry(customerID: customer.id) == nil)
            #expect(try await Self.context(store, customer.id).history == [inquiry])
        }
    }

    @Test func anotherWindowIsReadAgain() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let old = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: 20))
            let recent = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: 1))
            #expect(try await Self.context(store, customer.id).history == [recent, old])
            let short = try await store.recommendationContext(customerID: customer.id, asOf: Self.today, lookbackDays: 5, limit: 100)
            #expect(short.history == [recent])
            let earlier = try await Self.context(store, customer.id, asOf: Self.today.adding(days: -10))
            #expect(earlier.history == [old])
        }
    }

    @Test func aDeletedCustomersEntryIsDropped() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            _ = try await Self.context(store, customer.id)
            #expect(store.recommendationContexts.entry(customerID: customer.id) != nil)
            try await store.delete(id: customer.id, expectedEtag: nil)
            #expect(store.recommendationContexts.entry(customerID: customer.id) == nil)
            let error = await storeError { _ = try await Self.context(store, customer.id) }
            #expect(error?.kind == .notFound)
        }
    }

    @Test func everyWatchedChangeHasItsTriggerOnTheWriter() async throws {
        try await withStore { store in
            let triggers = try await store.pool.write { db in
                try String.fetchAll(db, sql: Self.contextTriggersSQL)
            }
            let expected = RecommendationContextCache.watchedChanges.map { "rapport_\($0.table)_\($0.event.lowercased())" }
            #expect(triggers == expected.sorted())
        }
    }

    @Test func aStoreOpenedOnlyToImportHasNoTriggersAndStillReadsContexts() async throws {
        try await withStore(configure: { $0.cachesRecommendationContexts = false }) { store in
            let triggers = try await store.pool.write { try String.fetchAll($0, sql: Self.contextTriggersSQL) }
            #expect(triggers == [])
            let customer = try await OfferFixture.consentingCustomer(store)
            let inquiry = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: 1))
            #expect(try await Self.context(store, customer.id).history == [inquiry])
            #expect(store.recommendationContexts.entry(customerID: customer.id) == nil)
            let complaint = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .complaint, daysAgo: 0.5))
            #expect(try await Self.context(store, customer.id).history == [complaint, inquiry])
        }
    }

    @Test func aReadFromBeforeACommitIsNotKept() {
        let cache = RecommendationContextCache(capacity: 10)
        let generation = cache.generation
        let window = RecommendationContextRead.Window(limit: 10, declinesFromMillis: 0, fromMillis: 0, beforeMillis: 1)
        let entry = RecommendationContextCache.Entry(
            consents: [ConsentFixtures.marketingEmail(granted: true)], openFollowUps: [], window: window, history: [])
        // What the triggers and the commit do when another customer's consent changes meanwhile.
        cache.recordChange(customerID: "cus_other")
        cache.committed()
        cache.store(entry, customerID: "cus_1", readAt: generation)
        #expect(cache.entry(customerID: "cus_1") == nil)
        cache.store(entry, customerID: "cus_1", readAt: cache.generation)
        #expect(cache.entry(customerID: "cus_1")?.consents == entry.consents)
        // A rolled-back change drops nothing.
        cache.recordChange(customerID: "cus_1")
        cache.rolledBack()
        cache.committed()
        #expect(cache.entry(customerID: "cus_1") != nil)
    }
}
