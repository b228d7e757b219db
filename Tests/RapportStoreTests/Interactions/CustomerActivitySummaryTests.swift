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
