import GRDB
import RapportDomain

/// A customer's `ActivitySummary` from `customer_activity`, by index seeks only: the daily rows
/// of the two 90-day windows (at most 180, plus a day or two the clock-skew margin allows ahead of
/// today) and the first and last days on record from the primary key. However long the
/// customer's history, computing it never scans it.
enum CustomerActivity {
    /// The summary as of `today` (a UTC day).
    static func summary(_ db: Database, customerID: String, today: CalendarDate) throws -> ActivitySummary {
        let window = ActivityWindow(today: today)
        let buckets = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT day, contacts, complaints FROM customer_activity WHERE customer_id = ? AND day >= ?"),
            arguments: [customerID, UTCDay.number(of: window.earliestDay)])
        var days: [DailyActivity] = []
        while let row = try buckets.next() {
            days.append(DailyActivity(
                day: UTCDay.date(try row.decode(Int64.self, atIndex: 0)),
                contacts: try row.decode(Int.self, atIndex: 1),
                complaints: try row.decode(Int.self, atIndex: 2)))
        }
        // ORDER BY … LIMIT 1 on the primary key is a single seek whatever SQLite's min/max rules.
        let bounds = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT (SELECT day FROM customer_activity WHERE customer_id = ? ORDER BY day LIMIT 1),
                       (SELECT day FROM customer_activity WHERE customer_id = ? ORDER BY day DESC LIMIT 1)
                """),
            arguments: [customerID, customerID])
        let first = try bounds?.decode(Int64?.self, atIndex: 0)
        let last = try bounds?.decode(Int64?.self, atIndex: 1)
        return window.summary(of: days, firstContact: first.map(UTCDay.date), lastContact: last.map(UTCDay.date))
    }
}
