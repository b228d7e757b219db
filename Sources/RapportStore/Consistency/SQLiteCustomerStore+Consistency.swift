import GRDB

extension SQLiteCustomerStore {
    /// Recomputes every table the store derives from its base rows and compares it with what is
    /// stored, after SQLite's own integrity and foreign-key checks; all in one read transaction,
    /// so the checks see one snapshot while the store keeps serving.
    ///
    /// An operator's tool (`rapportd check`): it reads every row, streaming the log through
    /// SQLite's sorter and the customers through a cursor, and keeps only grouped counts.
    /// See each check's notes for what a table keeps that its base rows no longer show.
    /// - Parameter examplesPerTable: mismatches described per check, at most.
    public func checkConsistency(examplesPerTable: Int = 5) async throws -> ConsistencyReport {
        let examples = max(examplesPerTable, 0)
        return try await mappingErrors {
            try await asyncRead { db in try Self.consistencyReport(db, examples: examples) }
        }
    }

    /// The checks of `checkConsistency`, in `db`'s transaction.
    static func consistencyReport(_ db: Database, examples: Int) throws -> ConsistencyReport {
        var checks = [
            try SQLiteChecks.integrity(db, examples: examples),
            try SQLiteChecks.foreignKeys(db, examples: examples),
        ]
        for comparison in [LogDerivedTables.activity, LogDerivedTables.nps, LogDerivedTables.openFollowUps] {
            checks.append(try comparison.run(db, examples: examples))
        }
        let erased = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM erasures)") ?? false
        checks.append(try OfferDerivedTables.totals(afterErasures: erased).run(db, examples: examples))
        checks.append(try OfferDerivedTables.reasonsWithinTotals(db, examples: examples))
        checks.append(try CatalogDerivedTables.currentProducts.run(db, examples: examples))
        checks += try CustomerDerivedData(db, examples: examples).checks(db, examples: examples)
        return ConsistencyReport(checks: checks)
    }
}
