import GRDB
import RapportDomain

/// Writes and reads `segment_sizes` and `segment_holders`, always inside the caller's
/// transaction so the counts commit or roll back with the customers that changed them.
///
/// A cell is stored as the value tier's raw value (as in `customers.value_tier`) and the first
/// year of the birth cohort, -1 when the date of birth is unknown: a key column cannot be NULL
/// and still match itself in an upsert.
enum SegmentTables {
    private static let sizes = CountTable(table: "segment_sizes", keys: ["value_tier", "birth_cohort"], count: "customers")
    private static let holders = CountTable(
        table: "segment_holders", keys: ["value_tier", "birth_cohort", "product_code"], count: "holders")

    /// The stored cohort of a customer whose date of birth is not known; never a real cohort,
    /// which is a multiple of five.
    static let unknownCohort = -1

    /// Applies `delta` with cached upserts; one statement per changed count.
    static func apply(_ delta: SegmentDelta, _ db: Database) throws {
        for (cell, change) in delta.customers {
            try sizes.add(change, to: key(cell), db)
        }
        for (cell, changes) in delta.holders {
            let cellKey = key(cell)
            for (code, change) in changes {
                try holders.add(change, to: cellKey + [code], db)
            }
        }
    }

    private static func key(_ cell: SegmentCell) -> StatementArguments {
        [cell.valueTier.rawValue, cell.birthCohort ?? unknownCohort]
    }

    /// Every count, as the tables hold them now.
    /// - Throws: `.corrupt` for a tier this version does not know (the tables hold only tiers
    ///   that were written through `apply`).
    static func read(_ db: Database) throws -> SegmentStatistics {
        var statistics = SegmentStatistics()
        for row in try Row.fetchAll(db, sql: "SELECT value_tier, birth_cohort, customers FROM segment_sizes") {
            statistics.customers[try cell(row)] = try row.decode(atIndex: 2)
        }
        for row in try Row.fetchAll(db, sql: "SELECT value_tier, birth_cohort, product_code, holders FROM segment_holders") {
            statistics.holders[try cell(row), default: [:]][try row.decode(atIndex: 2)] = try row.decode(atIndex: 3)
        }
        return statistics
    }

    /// The cell in a row's first two columns.
    private static func cell(_ row: Row) throws -> SegmentCell {
        let rawTier: String = try row.decode(atIndex: 0)
        guard let tier = ValueTier(rawValue: rawTier) else {
            throw StoreError(.corrupt, "segment statistics name an unknown value tier '\(rawTier)'")
        }
        let cohort: Int = try row.decode(atIndex: 1)
        return SegmentCell(valueTier: tier, birthCohort: cohort == unknownCohort ? nil : cohort)
    }

    /// Recounts every stored customer (the migration's backfill), decoding rows with the store's
    /// own record code so protobuf and older JSON profiles both count.
    static func backfill(_ db: Database) throws {
        var delta = SegmentDelta()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM customers")
        while let row = try rows.next() {
            let record = try CustomerRecord(row: row, db)
            delta.add(newCustomerIn: SegmentCell(record), holdings: record.profile.products)
        }
        try apply(delta, db)
    }
}

extension SegmentCell {
    /// The cell of a stored row: its stored tier and the cohort of its date of birth.
    init(_ record: CustomerRecord) {
        self.init(
            valueTier: record.segmentation.valueTier,
            birthCohort: record.profile.dateOfBirth.map { Self.cohort(of: $0.year) })
    }
}
