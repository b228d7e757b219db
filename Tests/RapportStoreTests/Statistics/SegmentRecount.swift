import GRDB
import RapportDomain
@testable import RapportStore

/// The segment statistics counted the slow, obvious way from every stored customer, written
/// apart from `SegmentCell` and `HeldProducts` so the two check each other: the tier from the
/// `value_tier` column, the cohort by flooring year / 5, held codes by filtering and a set.
func recountSegments(_ db: Database) throws -> SegmentStatistics {
    var statistics = SegmentStatistics()
    for row in try Row.fetchAll(db, sql: "SELECT * FROM customers") {
        let record = try CustomerRecord(row: row, db)
        let rawTier: String = row["value_tier"]
        guard let tier = ValueTier(rawValue: rawTier) else { throw RecountFailure(tier: rawTier) }
        let cohort = record.profile.dateOfBirth.map { Int((Double($0.year) / 5).rounded(.down)) * 5 }
        let cell = SegmentCell(valueTier: tier, birthCohort: cohort)
        statistics.customers[cell, default: 0] += 1
        for code in Set(record.profile.products.filter { $0.closedOn == nil }.map(\.productCode)) {
            statistics.holders[cell, default: [:]][code, default: 0] += 1
        }
    }
    return statistics
}

/// A stored customer's `value_tier` this version does not know.
struct RecountFailure: Error {
    let tier: String
}

extension SQLiteCustomerStore {
    /// The segment recount of what is stored now.
    func recountedSegments() async throws -> SegmentStatistics {
        try await pool.read { try recountSegments($0) }
    }

    /// `SELECT count(*) FROM customers`.
    func storedCustomerCount() async throws -> Int {
        try await pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM customers") ?? -1 }
    }

    /// Whether any statistics row holds a count of 0 or less (rows at 0 must be deleted).
    func statisticsHoldNonPositiveCounts() async throws -> Bool {
        try await pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM segment_sizes WHERE customers <= 0)
                     + (SELECT count(*) FROM segment_holders WHERE holders <= 0)
                     + (SELECT count(*) FROM product_holders WHERE holders <= 0)
                     + (SELECT count(*) FROM coholding WHERE holders <= 0)
                     + (SELECT count(*) FROM next_product WHERE count <= 0)
                """) != 0
        }
    }
}

/// A random date of birth from 1935 to 2006 (cohorts 1935–2005), or none one time in six.
func randomDateOfBirth(using random: inout SeededGenerator) -> CalendarDate? {
    guard Int.random(in: 0..<6, using: &random) != 0 else { return nil }
    return CalendarDate(
        year: Int.random(in: 1935...2006, using: &random), month: Int.random(in: 1...12, using: &random),
        day: Int.random(in: 1...28, using: &random))
}

/// Random assets and income in GBP around the default tier thresholds (affluent from 100,000
/// assets or 75,000 income, private banking from 1,000,000 or 250,000), some unknown.
func randomWealth(_ profile: inout CustomerProfile, using random: inout SeededGenerator) {
    let assetChoices: [Int64?] = [nil, 5_000_00, 150_000_00, 2_000_000_00]
    let incomeChoices: [Int64?] = [nil, 30_000_00, 90_000_00, 300_000_00]
    let assets = assetChoices.randomElement(using: &random) ?? nil
    let income = incomeChoices.randomElement(using: &random) ?? nil
    profile.assetsUnderManagement = assets.map { Money(minorUnits: $0, currencyCode: "GBP") }
    profile.annualIncome = income.map { Money(minorUnits: $0, currencyCode: "GBP") }
}
