import GRDB
import RapportDomain

/// `offer_outcomes`, recomputed from the offer interactions of the log as `OfferIncrements`
/// counts them.
///
/// Only the product totals (reason '') can be recomputed: reason codes are not stored with the
/// interaction, so a reason row is checked only against its total (no reason counts more
/// offers than were made). The totals survive erasure (counts only) while the erased customer's
/// offers leave the log, so once any customer was erased the recount is a lower bound: stored
/// counts may exceed it, never fall short.
enum OfferDerivedTables {
    /// The quoted kind that records `outcome`, for SQL.
    private static func kind(_ outcome: OfferOutcome) -> String {
        InteractionKind.allCases.first { $0.offerOutcome == outcome }.map { "'\($0.rawValue)'" } ?? "NULL"
    }

    static func totals(afterErasures: Bool) -> DerivedTableComparison {
        let kinds = InteractionKind.allCases.filter { $0.offerOutcome != nil }.map { "'\($0.rawValue)'" }
        return DerivedTableComparison(
            name: "offer outcome totals (offer_outcomes, reason '')",
            keys: ["day", "product_code"], values: ["presented", "accepted", "declined", "ignored"],
            stored: """
                SELECT day, product_code, presented, accepted, declined, ignored FROM offer_outcomes WHERE reason_code = ''
                """,
            expected: """
                SELECT \(LogDerivedTables.utcDay("occurred_at")) AS day, product_code,
                       SUM(kind = \(kind(.presented))) AS presented, SUM(kind = \(kind(.accepted))) AS accepted,
                       SUM(kind = \(kind(.declined))) AS declined, SUM(kind = \(kind(.ignored))) AS ignored
                FROM interactions
                WHERE kind IN (\(kinds.joined(separator: ", "))) AND product_code <> ''
                GROUP BY day, product_code
                """,
            storedMayExceed: afterErasures,
            notes: afterErasures
                ? "lower bound: erased customers' offers stay counted but left the log, so stored counts may exceed the recount"
                : "")
    }

    /// Each reason row against its product's total of the same day: present, and no count above it.
    static func reasonsWithinTotals(_ db: Database, examples: Int) throws -> ConsistencyReport.Check {
        var tally = MismatchTally(examples: examples)
        let columns = ["presented", "accepted", "declined", "ignored"]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.day, r.product_code, r.reason_code, t.day IS NOT NULL,
                   \(columns.map { "r.\($0)" }.joined(separator: ", ")), \(columns.map { "t.\($0)" }.joined(separator: ", "))
            FROM offer_outcomes r
            LEFT JOIN offer_outcomes t ON t.day = r.day AND t.product_code = r.product_code AND t.reason_code = ''
            WHERE r.reason_code <> ''
            """)
        while let row = try rows.next() {
            let key = MismatchTally.text(["day", "product_code", "reason_code"], (0..<3).map { row[$0] as DatabaseValue })
            let reason = (0..<4).map { row[4 + $0] as DatabaseValue }
            let total = (0..<4).map { row[8 + $0] as DatabaseValue }
            let hasTotal: Bool = row[3]
            let within = zip(reason, total).allSatisfy { reason, total in
                guard case .int64(let count) = reason.storage, case .int64(let limit) = total.storage else { return false }
                return count >= 0 && count <= limit
            }
            if !hasTotal {
                tally.mismatch("\(key): no total row for the product that day")
            } else if !within {
                tally.mismatch(
                    "\(key): reason counts \(MismatchTally.text(columns, reason)) exceed total \(MismatchTally.text(columns, total))")
            } else {
                tally.matched()
            }
        }
        return tally.check(
            "offer outcome reasons (offer_outcomes, reason <> '')",
            notes: "reason codes are not stored with interactions: each reason row is checked against its product's total only")
    }
}
