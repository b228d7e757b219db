import GRDB
import RapportDomain
import Synchronization

/// Customers' activity summaries as of a day, kept by the writer in a temporary table that
/// triggers on `customer_activity` bring up to date with each change.
///
/// Why: every logged entry re-segments its customer, and summing up to 180 daily rows for that
/// was a fifth of a loaded daemon's samples under random-customer LogInteraction, even inside
/// SQLite (benchmarks/README.md). A summary is read once per customer per day by the aggregate
/// (`CustomerActivity.summarySQL`), kept here, and then moved by the day's deltas.
///
/// Why a temporary table and SQL triggers, not a Swift dictionary: the table is part of the
/// writer's transactions, so a rolled-back transaction or savepoint (a failed entry of a group
/// commit) rolls the summaries back with the rows they were moved by, and every change to
/// `customer_activity` — whichever path, including cascades — moves them, with no call out of
/// SQLite. Temporary objects live on their connection only: readers use the aggregate.
final class ActivitySummaryTable: Sendable {
    /// Summaries kept at most: past it, the next miss empties the table (hot customers return fast).
    let capacity: Int
    /// Misses stored since the table was last emptied; only the writer touches it.
    private let stored = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Creates the table and triggers on `db`, which must be the writer connection with
    /// `temp_store = MEMORY` already set (setting it drops every temporary object).
    func install(on db: Database) throws {
        try db.execute(sql: Self.schemaSQL)
    }

    /// The summary as of `today` on the writer connection: from the table when it holds it for
    /// that day, else from the aggregate, then kept.
    func summary(_ db: Database, customerID: String, today: CalendarDate) throws -> ActivitySummary {
        let window = ActivityWindow(today: today)
        let lastStart = UTCDay.number(of: window.last.lowerBound)
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT contacts_last, contacts_previous, complaints_last, first_day, last_day
                FROM temp.activity_summaries WHERE customer_id = ? AND last_start = ?
                """),
            arguments: [customerID, lastStart]) {
            return try CustomerActivity.summary(decoding: row)
        }
        let summary = try CustomerActivity.summary(db, customerID: customerID, today: today)
        guard capacity > 0 else { return summary }
        let full = stored.withLock { count in
            count += 1
            if count > capacity { count = 1; return true }
            return false
        }
        if full { try db.cachedStatement(sql: "DELETE FROM temp.activity_summaries").execute() }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO temp.activity_summaries
                (customer_id, last_start, earliest, contacts_last, contacts_previous, complaints_last, first_day, last_day)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                customerID, lastStart, UTCDay.number(of: window.earliestDay),
                summary.contactsLast90Days, summary.contactsPrevious90Days, summary.complaintsLast90Days,
                summary.firstContact.map(UTCDay.number(of:)), summary.lastContact.map(UTCDay.number(of:)),
            ])
        return summary
    }

    /// How a day's counts move a kept summary, with the windows' rules of `ActivityWindow.summary`:
    /// days from `last_start` on (tomorrow's included) count in the last window, days from
    /// `earliest` before it in the previous one. `contacts` and `complaints` are the change.
    /// (SQLite allows no schema-qualified names in a trigger's statements; a temporary trigger
    /// finds the temporary table first.)
    private static func moved(day: String, contacts: String, complaints: String) -> String {
        """
        UPDATE activity_summaries SET
            contacts_last = contacts_last + CASE WHEN \(day) >= last_start THEN \(contacts) ELSE 0 END,
            contacts_previous = contacts_previous
                + CASE WHEN \(day) < last_start AND \(day) >= earliest THEN \(contacts) ELSE 0 END,
            complaints_last = complaints_last + CASE WHEN \(day) >= last_start THEN \(complaints) ELSE 0 END,
            first_day = min(coalesce(first_day, \(day)), \(day)),
            last_day = max(coalesce(last_day, \(day)), \(day))
        """
    }

    static let schemaSQL = """
        CREATE TEMP TABLE activity_summaries (
            customer_id TEXT NOT NULL PRIMARY KEY,
            last_start INTEGER NOT NULL,
            earliest INTEGER NOT NULL,
            contacts_last INTEGER NOT NULL,
            contacts_previous INTEGER NOT NULL,
            complaints_last INTEGER NOT NULL,
            first_day INTEGER,
            last_day INTEGER
        ) WITHOUT ROWID;
        CREATE TEMP TRIGGER rapport_activity_inserted AFTER INSERT ON main.customer_activity BEGIN
            \(moved(day: "NEW.day", contacts: "NEW.contacts", complaints: "NEW.complaints"))
            WHERE customer_id = NEW.customer_id;
        END;
        CREATE TEMP TRIGGER rapport_activity_updated AFTER UPDATE ON main.customer_activity
        WHEN NEW.customer_id = OLD.customer_id AND NEW.day = OLD.day BEGIN
            \(moved(day: "NEW.day", contacts: "NEW.contacts - OLD.contacts", complaints: "NEW.complaints - OLD.complaints"))
            WHERE customer_id = NEW.customer_id;
        END;
        CREATE TEMP TRIGGER rapport_activity_rekeyed AFTER UPDATE ON main.customer_activity
        WHEN NEW.customer_id != OLD.customer_id OR NEW.day != OLD.day BEGIN
            DELETE FROM activity_summaries WHERE customer_id IN (OLD.customer_id, NEW.customer_id);
        END;
        CREATE TEMP TRIGGER rapport_activity_deleted AFTER DELETE ON main.customer_activity BEGIN
            DELETE FROM activity_summaries WHERE customer_id = OLD.customer_id;
        END;
        """
}
