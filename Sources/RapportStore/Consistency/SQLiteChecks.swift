import GRDB

/// SQLite's own checks of the file, reported as checks with the problems they list.
enum SQLiteChecks {
    /// `PRAGMA integrity_check`: b-trees, indexes against their tables, constraints. Its messages
    /// name tables, indexes and page or row numbers, not row contents.
    static func integrity(_ db: Database, examples: Int) throws -> ConsistencyReport.Check {
        var tally = MismatchTally(examples: examples)
        let rows = try String.fetchCursor(db, sql: "PRAGMA integrity_check")
        while let message = try rows.next() {
            if message == "ok" { tally.matched() } else { tally.mismatch(message) }
        }
        return tally.check("integrity_check")
    }

    /// `PRAGMA foreign_key_check`: rows whose parent row is gone (the store enforces foreign keys,
    /// so any row here bypassed them).
    static func foreignKeys(_ db: Database, examples: Int) throws -> ConsistencyReport.Check {
        var tally = MismatchTally(examples: examples)
        let rows = try Row.fetchCursor(db, sql: "PRAGMA foreign_key_check")
        while let row = try rows.next() {
            let table = MismatchTally.text(row[0]), rowID = MismatchTally.text(row[1]), parent = MismatchTally.text(row[2])
            tally.mismatch("\(table) rowid \(rowID): no parent row in \(parent)")
        }
        return tally.check("foreign_key_check")
    }
}
