import GRDB

/// A derived table compared with its recomputation, both sides in SQL: one `UNION ALL` of the
/// stored rows and the recomputed ones, grouped by the key, streamed with a cursor. SQLite's
/// sorter holds the grouping (spilling to temporary files when large), so memory stays flat
/// however many rows the log has.
struct DerivedTableComparison {
    /// The report entry's name.
    var name: String
    /// The key columns, which `stored` and `expected` both select under these names.
    var keys: [String]
    /// The value columns, selected under these names after the keys.
    var values: [String]
    /// SQL selecting `keys` and `values` from the stored table.
    var stored: String
    /// SQL recomputing `keys` and `values` from base rows, one row per key.
    var expected: String
    /// When true, a stored integer above the recomputed one (or a stored row with no recomputed
    /// row) is not a mismatch: the table keeps counts whose base rows are gone.
    var storedMayExceed = false
    /// Value columns a recomputation leaves NULL where the base rows do not determine them;
    /// such a NULL is not compared. Elsewhere NULL is a value like any other.
    var notRecomputedWhenNull: Set<String> = []
    /// What the check cannot see; goes into the report.
    var notes = ""

    /// Every key of either side with a presence flag and both sides' values.
    var sql: String {
        let keyList = keys.joined(separator: ", ")
        let storedSide = ["1 AS s_present", "NULL AS e_present"]
            + values.map { "\($0) AS s_\($0)" } + values.map { "NULL AS e_\($0)" }
        let expectedSide = ["NULL AS s_present", "1 AS e_present"]
            + values.map { "NULL AS s_\($0)" } + values.map { "\($0) AS e_\($0)" }
        let aggregates = ["MAX(s_present)", "MAX(e_present)"]
            + values.map { "MAX(s_\($0))" } + values.map { "MAX(e_\($0))" }
        return """
            SELECT \(keyList), \(aggregates.joined(separator: ", ")) FROM (
                SELECT \(keyList), \(storedSide.joined(separator: ", ")) FROM (\(stored))
                UNION ALL
                SELECT \(keyList), \(expectedSide.joined(separator: ", ")) FROM (\(expected))
            ) GROUP BY \(keyList)
            """
    }

    func run(_ db: Database, examples: Int) throws -> ConsistencyReport.Check {
        var tally = MismatchTally(examples: examples)
        let rows = try Row.fetchCursor(db, sql: sql)
        let keyCount = keys.count, valueCount = values.count
        while let row = try rows.next() {
            let key = (0..<keyCount).map { row[$0] as DatabaseValue }
            let isStored = !(row[keyCount] as DatabaseValue).isNull
            let isExpected = !(row[keyCount + 1] as DatabaseValue).isNull
            let stored = (0..<valueCount).map { row[keyCount + 2 + $0] as DatabaseValue }
            let expected = (0..<valueCount).map { row[keyCount + 2 + valueCount + $0] as DatabaseValue }
            let keyText = MismatchTally.text(keys, key)
            switch (isStored, isExpected) {
            case (true, false):
                if storedMayExceed { tally.matched() } else {
                    tally.mismatch("\(keyText): extra row (stored \(MismatchTally.text(values, stored)))")
                }
            case (false, true):
                tally.mismatch("\(keyText): missing (recomputed \(MismatchTally.text(values, expected)))")
            default:
                if agree(stored, expected) { tally.matched() } else {
                    tally.mismatch(
                        "\(keyText): stored \(MismatchTally.text(values, stored)), "
                            + "recomputed \(MismatchTally.text(values, expected))")
                }
            }
        }
        return tally.check(name, notes: notes)
    }

    private func agree(_ stored: [DatabaseValue], _ expected: [DatabaseValue]) -> Bool {
        zip(values, zip(stored, expected)).allSatisfy { column, pair in
            let (stored, expected) = pair
            if expected.isNull, notRecomputedWhenNull.contains(column) { return true }
            if storedMayExceed, case .int64(let have) = stored.storage, case .int64(let want) = expected.storage {
                return have >= want
            }
            return stored == expected
        }
    }
}
