import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// The store's summing statement gives what the domain's `ActivityWindow.summary` gives for the
/// same daily rows: the windows' edges, tomorrow's day, days long before the windows, none at all.
@Suite struct CustomerActivitySummaryTests {
    private static let today = CalendarDate(year: 2025, month: 6, day: 15)

    /// Replaces the customer's daily rows with `days` and compares the two summaries.
    private static func compare(_ store: SQLiteCustomerStore, _ customerID: String, _ days: [DailyActivity]) async throws {
        let (stored, expected) = try await store.pool.write { db in
            try db.execute(sql: "DELETE FROM customer_activity WHERE customer_id = ?", arguments: [customerID])
            for day in days {
                try db.execute(
                    sql: "INSERT INTO customer_activity (customer_id, day, contacts, complaints) VALUES (?, ?, ?, ?)",
                    arguments: [customerID, UTCDay.number(of: day.day), day.contacts, day.complaints])
            }
            let sorted = days.map(\.day).sorted()
            let expected = ActivityWindow(today: today).summary(of: days, firstContact: sorted.first, lastContact: sorted.last)
            return (try CustomerActivity.summary(db, customerID: customerID, today: today), expected)
        }
        #expect(stored == expected, "days: \(days.map { "\($0.day) \($0.contacts)/\($0.complaints)" })")
    }

    @Test func theEdgesOfBothWindowsAndTomorrow() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let edges = [1, 0, -89, -90, -179, -180, -400].map { offset in
                DailyActivity(day: Self.today.adding(days: offset), contacts: 10 + abs(offset), complaints: abs(offset) % 3)
            }
            try await Self.compare(store, customer.id, edges)
            try await Self.compare(store, customer.id, [])
            try await Self.compare(store, customer.id, [DailyActivity(day: Self.today.adding(days: -500), contacts: 4, complaints: 1)])
        }
    }

    @Test func randomHistories() async throws {
        var random = SeededGenerator(seed: 11)
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            for _ in 0..<40 {
                let offsets = Set((0..<Int.random(in: 0...60, using: &random)).map { _ in Int.random(in: -400...2, using: &random) })
                let days = offsets.map { offset in
                    DailyActivity(
                        day: Self.today.adding(days: offset), contacts: Int.random(in: 1...9, using: &random),
                        complaints: Int.random(in: 0...2, using: &random))
                }
                try await Self.compare(store, customer.id, days)
            }
        }
    }
}

/// The writer's kept summaries (`ActivitySummaryTable`) always equal the aggregate's, whatever
/// changes the daily rows, in a released or rolled-back savepoint or a rolled-back transaction.
@Suite struct ActivitySummaryTableTests {
    private static let today = CalendarDate(year: 2025, month: 6, day: 15)

    @Test func keptSummariesFollowEveryChangeAndRollback() async throws {
        try await withStore { store in
            let table = try #require(store.activitySummaries)
            let customers = [try await LogFixture.customer(store).id, try await LogFixture.customer(store).id]
            try await store.pool.writeWithoutTransaction { db in
                var random = SeededGenerator(seed: 5)
                func check(_ day: CalendarDate = Self.today) throws {
                    for customer in customers {
                        let kept = try table.summary(db, customerID: customer, today: day)
                        #expect(kept == (try CustomerActivity.summary(db, customerID: customer, today: day)))
                    }
                }
                func change() throws {
                    let customer = customers[Int.random(in: 0..<customers.count, using: &random)]
                    let day = UTCDay.number(of: Self.today.adding(days: Int.random(in: -400...2, using: &random)))
                    if Int.random(in: 0..<8, using: &random) == 0 {
                        try db.execute(
                            sql: "DELETE FROM customer_activity WHERE customer_id = ? AND day = ?", arguments: [customer, day])
                    } else {
                        try db.execute(
                            sql: """
                                INSERT INTO customer_activity (customer_id, day, contacts, complaints) VALUES (?, ?, ?, ?)
                                ON CONFLICT (customer_id, day) DO UPDATE SET
                                    contacts = contacts + excluded.contacts, complaints = complaints + excluded.complaints
                                """,
                            arguments: [customer, day, Int.random(in: 1...3, using: &random), Int.random(in: 0...1, using: &random)])
                    }
                }
                try check()
                for step in 0..<300 {
                    try db.execute(sql: "SAVEPOINT step")
                    try change()
                    if Int.random(in: 0..<4, using: &random) == 0 { try db.execute(sql: "ROLLBACK TO SAVEPOINT step") }
                    try db.execute(sql: "RELEASE SAVEPOINT step")
                    try check()
                    if step % 50 == 0 {
                        try db.execute(sql: "BEGIN")
                        for _ in 0..<5 { try change(); try check() }
                        try db.execute(sql: "ROLLBACK")
                        try check()
                        try check(Self.today.adding(days: 1))
                    }
                }
            }
        }
    }

    @Test func aStoreWithoutCachesKeepsNoSummaries() async throws {
        try await withStore(configure: { $0.customerCacheCapacity = 0 }) { store in
            #expect(store.activitySummaries == nil)
            let triggers = try await store.pool.write { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_temp_master") }
            #expect(triggers == 0)
        }
    }
}
