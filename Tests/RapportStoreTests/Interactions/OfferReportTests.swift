import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct OfferReportTests {
    /// The report counts the UTC days `from ..< before`; all-time statistics count every day.
    @Test func theReportCountsItsDaysOnly() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            for daysAgo in [0.0, 1, 2, 2, 5] {
                try await OfferFixture.log(store, OfferFixture.entry(customer.id, .declined, reasons: ["COHOLDING"], daysAgo: daysAgo))
            }
            let today = CalendarDate(utcDayOf: LogFixture.now)
            let report = try await store.offerReport(from: today.adding(days: -2), before: today)
            #expect(report.byProduct == ["CARD": OfferCounts(declined: 3)])
            #expect(report.byReason == ["COHOLDING": OfferCounts(declined: 3)])
            let lastWeek = try await store.offerReport(from: today.adding(days: -7), before: today.adding(days: 1))
            #expect(lastWeek.byProduct["CARD"]?.declined == 5)
            #expect(try await store.offerReport(from: today, before: today) == OfferStatistics())
            #expect(try await store.offerStatistics().byProduct["CARD"]?.declined == 5)
        }
    }

    /// Offer kinds logged without an outcome effect (LogInteraction) and imported ones (seeding)
    /// count in the product totals, as the migration's backfill counts them.
    @Test func plainAndImportedOfferInteractionsCountInTheTotals() async throws {
        try await withStore { store in
            let customer = try await OfferFixture.consentingCustomer(store)
            try await LogFixture.log(store, LogFixture.interaction(customer.id, .offerPresented))
            var imported = LogFixture.interaction(customer.id, .offerAccepted, daysAgo: 3)
            imported.productCode = "CARD"
            try await store.importInteractions([imported], context: LogFixture.context())
            #expect(try await store.offerStatistics() == OfferStatistics(byProduct: ["CARD": OfferCounts(presented: 1, accepted: 1)]))
            // A plain acceptance logs the contact; only an outcome effect changes the profile.
            #expect(try await store.customer(id: customer.id)?.profile == customer.profile)
        }
    }
}

@Suite struct OfferMigrationTests {
    /// A v5 store with offer interactions gets `offer_outcomes`, backfilled in the totals.
    @Test func aV5StoreIsBackfilledFromItsOfferInteractions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        let customer = makeCustomer(now: LogFixture.now)
        do {
            let pool = try DatabasePool(path: path)
            try StoreSchema.migrator.migrate(pool, upTo: "v5-coholding")
            try await pool.write { db in
                try PlaintextRows.insert(customer, db)
                let rows: [(InteractionKind, String, Double)] = [
                    (.offerPresented, "CARD", 1), (.offerPresented, "CARD", 1), (.offerAccepted, "CARD", 0),
                    (.offerDeclined, "LOAN", 0), (.offerDeclined, "LOAN", 21_000), (.inquiry, "LOAN", 0),
                ]
                for (kind, product, daysAgo) in rows {
                    var interaction = LogFixture.interaction(customer.id, kind, daysAgo: daysAgo)
                    interaction.productCode = product
                    try PlaintextRows.insert(interaction, snapshot: nil, db)
                }
            }
            try pool.close()
        }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        defer { try? store.close() }
        let applied = try await store.pool.read { try StoreSchema.migrator.appliedMigrations($0) }
        #expect(applied == StoreSchema.migrationIdentifiers)
        #expect(try await store.offerStatistics() == OfferStatistics(byProduct: [
            "CARD": OfferCounts(presented: 2, accepted: 1), "LOAN": OfferCounts(declined: 2),
        ]))
        // Days as the write path numbers them, before 1970 too (21,000 days before 2025-06-15 is in 1967).
        let today = CalendarDate(utcDayOf: LogFixture.now)
        #expect(try await store.offerReport(from: today.adding(days: -1), before: today).byProduct["CARD"]?.presented == 2)
        let early = today.adding(days: -21_000)
        #expect(try await store.offerReport(from: early, before: early.adding(days: 1)).byProduct["LOAN"]?.declined == 1)
        // Outcomes logged after the migration add to the backfilled rows.
        try await OfferFixture.log(store, OfferFixture.entry(customer.id, .accepted))
        #expect(try await store.offerStatistics().byProduct["CARD"]?.accepted == 2)
    }
}
