import GRDB
import RapportDomain

/// What the store derives from customer rows, recounted by opening every customer once: the
/// co-holding statistics (`product_holders`, `coholding`, `next_product`), the segment
/// statistics (`segment_sizes`, `segment_holders`) and each row's filter columns.
///
/// Holdings are sealed inside the profile, so SQL cannot group them: the customers are streamed
/// with a cursor and only the counts are kept, which grow with the catalog and the segment
/// cells, not with the number of customers.
///
/// Not recomputed: the stored segmentation itself (only the tier and stage columns are checked
/// against it). Segments are computed as of a day, from activity windows relative to that day
/// and the daemon's segmentation policy; neither the day of the last re-segmentation nor the
/// policy is stored, so a recount could differ from a correct store.
struct CustomerDerivedData {
    private(set) var holders: [[DatabaseValue]: Int64] = [:]
    private(set) var pairs: [[DatabaseValue]: Int64] = [:]
    private(set) var sequences: [[DatabaseValue]: Int64] = [:]
    private(set) var segmentSizes: [[DatabaseValue]: Int64] = [:]
    private(set) var segmentHolders: [[DatabaseValue]: Int64] = [:]
    private(set) var columns: MismatchTally

    /// Reads every customer, counting pairs among the catalog's codes only, as `CoholdingTables` does.
    init(_ db: Database, examples: Int) throws {
        columns = MismatchTally(examples: examples)
        let catalog = try CoholdingTables.catalogCodes(db)
        let keyring = try Keyring.of(db)
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM customers")
        while let row = try rows.next() {
            let record = try CustomerRecord(row: row, db)
            add(record, catalog: catalog)
            checkColumns(record, keyring: keyring)
        }
    }

    private mutating func add(_ record: CustomerRecord, catalog: Set<String>) {
        let held = HeldProducts(record.profile.products)
        for code in held.codes { holders[[code.databaseValue], default: 0] += 1 }
        for pair in held.pairs where catalog.contains(pair.first) && catalog.contains(pair.second) {
            pairs[[pair.first.databaseValue, pair.second.databaseValue], default: 0] += 1
        }
        for pair in held.sequences where catalog.contains(pair.first) && catalog.contains(pair.second) {
            sequences[[pair.first.databaseValue, pair.second.databaseValue], default: 0] += 1
        }
        let cell = SegmentCell(record)
        let cellKey = [cell.valueTier.rawValue.databaseValue, (cell.birthCohort ?? SegmentTables.unknownCohort).databaseValue]
        segmentSizes[cellKey, default: 0] += 1
        for code in held.codes { segmentHolders[cellKey + [code.databaseValue], default: 0] += 1 }
    }

    /// The filter columns against the sealed profile and segmentation they are written from
    /// (`CustomerRecord.init(_:_:)`). The name key is a keyed hash of the name: a mismatch names
    /// the column only.
    private mutating func checkColumns(_ record: CustomerRecord, keyring: Keyring) {
        var wrong: [String] = []
        func compare(_ column: String, _ stored: String?, _ derived: String?) {
            if stored != derived { wrong.append("\(column) stored \(stored ?? "NULL"), derived \(derived ?? "NULL")") }
        }
        compare("value_tier", record.valueTier, record.segmentation.valueTier.rawValue)
        compare("lifecycle_stage", record.lifecycleStage, record.segmentation.lifecycleStage.rawValue)
        compare("risk_level", record.riskLevel, record.profile.riskLevel?.rawValue)
        compare("branch_id", record.branchID, record.profile.branchID)
        compare("relationship_manager_id", record.relationshipManagerID, record.profile.relationshipManagerID)
        if record.nameKey != NameBuckets.bucket(ofName: record.profile.fullName, keyring) { wrong.append("name_key differs") }
        if wrong.isEmpty {
            columns.matched()
        } else {
            columns.mismatch("customer_id=\(record.id): \(wrong.joined(separator: "; "))")
        }
    }

    /// The stored counts of `sql` (key columns, then the count) against `expected`.
    static func compare(
        _ name: String, _ db: Database, sql: String, keys: [String], expected: [[DatabaseValue]: Int64], examples: Int
    ) throws -> ConsistencyReport.Check {
        var tally = MismatchTally(examples: examples)
        var unseen = expected
        let rows = try Row.fetchCursor(db, sql: sql)
        while let row = try rows.next() {
            let key = (0..<keys.count).map { row[$0] as DatabaseValue }
            let stored = row[keys.count] as DatabaseValue
            let keyText = MismatchTally.text(keys, key)
            if let count = unseen.removeValue(forKey: key) {
                if stored == count.databaseValue { tally.matched() } else {
                    tally.mismatch("\(keyText): stored \(MismatchTally.text(stored)), recounted \(count)")
                }
            } else {
                tally.mismatch("\(keyText): extra row (stored \(MismatchTally.text(stored)))")
            }
        }
        for (key, count) in unseen.sorted(by: { MismatchTally.text(keys, $0.key) < MismatchTally.text(keys, $1.key) }) {
            tally.mismatch("\(MismatchTally.text(keys, key)): missing (recounted \(count))")
        }
        return tally.check(name)
    }

    /// The five statistics tables and the filter columns, compared.
    func checks(_ db: Database, examples: Int) throws -> [ConsistencyReport.Check] {
        [
            try Self.compare(
                "co-holding statistics: product holders (product_holders)", db,
                sql: "SELECT product_code, holders FROM product_holders", keys: ["product_code"], expected: holders,
                examples: examples),
            try Self.compare(
                "co-holding statistics: pairs (coholding)", db,
                sql: "SELECT product_a, product_b, holders FROM coholding", keys: ["product_a", "product_b"],
                expected: pairs, examples: examples),
            try Self.compare(
                "co-holding statistics: sequences (next_product)", db,
                sql: "SELECT from_code, to_code, count FROM next_product", keys: ["from_code", "to_code"],
                expected: sequences, examples: examples),
            try Self.compare(
                "segment statistics: sizes (segment_sizes)", db,
                sql: "SELECT value_tier, birth_cohort, customers FROM segment_sizes", keys: ["value_tier", "birth_cohort"],
                expected: segmentSizes, examples: examples),
            try Self.compare(
                "segment statistics: holders (segment_holders)", db,
                sql: "SELECT value_tier, birth_cohort, product_code, holders FROM segment_holders",
                keys: ["value_tier", "birth_cohort", "product_code"], expected: segmentHolders, examples: examples),
            columns.check(
                "customer filter columns (customers)",
                notes: "tier, stage, risk, branch, manager and name key against the sealed profile and segmentation; the segmentation itself depends on the day and policy and is not recomputed"),
        ]
    }
}
