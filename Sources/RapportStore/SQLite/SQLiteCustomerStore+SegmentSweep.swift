import Foundation
import GRDB
import RapportDomain

/// Where a segment sweep stopped: opaque to callers (the last customer's rowid).
public struct SegmentSweepCursor: Sendable, Hashable {
    let rowID: Int64
}

/// What one step of a segment sweep did.
public struct SegmentSweepStep: Sendable, Hashable {
    /// Where the next step starts; nil when the sweep has been through every customer.
    public var next: SegmentSweepCursor?
    /// Customers whose segments were re-computed.
    public var examined: Int
    /// Customers whose stored segments changed.
    public var changed: Int

    public init(next: SegmentSweepCursor?, examined: Int, changed: Int) {
        self.next = next
        self.examined = examined
        self.changed = changed
    }
}

/// A store whose customers' segments a background sweep can bring up to date, a step at a time.
public protocol SegmentSweepStore: Sendable {
    /// Re-computes the segments of up to `limit` customers after `cursor` as of `today`, storing
    /// those that changed; a sweep starts with a nil cursor and goes on until `next` is nil.
    func resegmentStep(
        after cursor: SegmentSweepCursor?, limit: Int, today: CalendarDate, segmenter: Segmenter
    ) async throws -> SegmentSweepStep

    /// The UTC day the last complete sweep was for, or nil when none finished yet.
    func lastSweptDay() async throws -> CalendarDate?

    /// Remembers that a sweep went through every customer as of `day`.
    func recordSweep(of day: CalendarDate, at now: Date) async throws
}

extension SQLiteCustomerStore: SegmentSweepStore {
    /// Re-computes the segments of up to `limit` customers after `cursor` (in storage order) as
    /// of `today`, and stores those that changed.
    ///
    /// Why: segments depend on the day as well as the data (the activity windows slide, tenure
    /// grows, products reach their closing date), so a customer nobody writes for would keep a
    /// stage that is no longer true: the one who went quiet would never be marked as declining.
    ///
    /// The work is done in a read transaction; only customers whose segments changed are
    /// re-segmented again in a short write transaction (from the data as it is then), so a sweep
    /// holds the single writer for the few changes, not for the reading and decoding.
    public func resegmentStep(
        after cursor: SegmentSweepCursor?, limit: Int, today: CalendarDate, segmenter: Segmenter
    ) async throws -> SegmentSweepStep {
        let limit = max(1, limit)
        return try await mappingErrors {
            let (stale, lastRowID, examined) = try await asyncRead { db in
                let rows = try Row.fetchCursor(
                    db.cachedStatement(sql: "SELECT rowid AS row_id, * FROM customers WHERE rowid > ? ORDER BY rowid LIMIT ?"),
                    arguments: [cursor?.rowID ?? Int64.min, limit])
                var stale: [String] = []
                var lastRowID: Int64?
                var examined = 0
                while let row = try rows.next() {
                    let id: String = row["id"]
                    let customer = try self.customerCache.customer(id: id) ?? CustomerRecord(row: row, db).customer()
                    if try Resegmenter.segmentsIfChanged(db, customer, today: today, segmenter: segmenter) != nil {
                        stale.append(id)
                    }
                    lastRowID = row["row_id"]
                    examined += 1
                }
                return (stale, lastRowID, examined)
            }
            var changed = 0
            if !stale.isEmpty {
                changed = try await pool.write { db in
                    try stale.filter {
                        try Resegmenter.resegment(
                            db, customerID: $0, today: today, segmenter: segmenter, customers: customerCache,
                            activity: activitySummaries)
                    }.count
                }
            }
            let next = examined < limit ? nil : lastRowID.map(SegmentSweepCursor.init(rowID:))
            return SegmentSweepStep(next: next, examined: examined, changed: changed)
        }
    }

    public func lastSweptDay() async throws -> CalendarDate? {
        try await mappingErrors {
            try await asyncRead { db in
                let value = try String.fetchOne(
                    db, sql: "SELECT value FROM maintenance_state WHERE key = ?", arguments: [Self.sweptDayKey])
                // A day number; an unreadable value only means the next sweep runs, and rewrites it.
                return value.flatMap { Int64($0) }.flatMap { abs($0) < 10_000_000 ? UTCDay.date($0) : nil }
            }
        }
    }

    public func recordSweep(of day: CalendarDate, at now: Date) async throws {
        try await mappingErrors {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO maintenance_state (key, value, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """,
                    arguments: [Self.sweptDayKey, String(UTCDay.number(of: day)), try StoredTime.millis(now)])
            }
        }
    }

    private static let sweptDayKey = "segment_sweep.day"
}
