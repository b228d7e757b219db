import GRDB
import RapportDomain

/// A customer's `ActivitySummary` from `customer_activity`, by index seeks only: the daily rows
/// of the two 90-day windows (at most 180, plus a day or two the clock-skew margin allows ahead of
/// today) and the first and last days on record from the primary key. However long the
/// customer's history, computing it never scans it.
///
/// SQLite sums the windows itself, in one statement, with the rules of `ActivityWindow.summary`
/// (a test holds the two to the same answers): decoding up to 180 rows one by one through GRDB's
/// cursor was a quarter of a loaded daemon's samples when LogInteraction re-segments a random
/// customer per entry (benchmarks/README.md).
enum CustomerActivity {
    /// ?1 the customer, ?2 the first day of the last window, ?3 the first day of the previous one
    /// (days as `UTCDay` numbers). Days from ?2 on, tomorrow's included, count in the last window.
    /// An aggregate without `GROUP BY` returns its one row even when no day matches.
    static let summarySQL = """
        SELECT coalesce(sum(CASE WHEN day >= ?2 THEN contacts END), 0),
               coalesce(sum(CASE WHEN day < ?2 THEN contacts END), 0),
               coalesce(sum(CASE WHEN day >= ?2 THEN complaints END), 0),
               (SELECT day FROM customer_activity WHERE customer_id = ?1 ORDER BY day LIMIT 1),
               (SELECT day FROM customer_activity WHERE customer_id = ?1 ORDER BY day DESC LIMIT 1)
        FROM customer_activity WHERE customer_id = ?1 AND day >= ?3
        """

    /// The summary as of `today` (a UTC day).
    static func summary(_ db: Database, customerID: String, today: CalendarDate) throws -> ActivitySummary {
        let window = ActivityWindow(today: today)
        let arguments: StatementArguments = [
            customerID, UTCDay.number(of: window.last.lowerBound), UTCDay.number(of: window.earliestDay),
        ]
        guard let row = try Row.fetchOne(db.cachedStatement(sql: summarySQL), arguments: arguments) else {
            throw StoreError(.other, "the activity summary of customer \(customerID) returned no row")
        }
        return try summary(decoding: row)
    }

    /// A summary from a row of the last window's contacts, the previous window's contacts, the
    /// last window's complaints, and the first and last days on record (nullable day numbers).
    static func summary(decoding row: Row) throws -> ActivitySummary {
        let first = try row.decode(Int64?.self, atIndex: 3)
        let last = try row.decode(Int64?.self, atIndex: 4)
        return ActivitySummary(
            contactsLast90Days: try row.decode(Int.self, atIndex: 0),
            contactsPrevious90Days: try row.decode(Int.self, atIndex: 1),
            complaintsLast90Days: try row.decode(Int.self, atIndex: 2),
            firstContact: first.map(UTCDay.date),
            lastContact: last.map(UTCDay.date))
    }
}
