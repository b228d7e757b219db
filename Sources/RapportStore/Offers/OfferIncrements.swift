import GRDB
import RapportDomain

/// What logged offer outcomes add to `offer_outcomes`, summed in memory so that a group commit,
/// a batch or an import upserts each (day, product, reason) row once.
struct OfferIncrements {
    /// The primary key of `offer_outcomes`; reason "" is the product's total.
    private struct Key: Hashable, Comparable {
        var day: Int64
        var productCode: String
        var reasonCode: String

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.day, lhs.productCode, lhs.reasonCode) < (rhs.day, rhs.productCode, rhs.reasonCode)
        }
    }

    private var counts: [Key: OfferCounts] = [:]

    /// Counts `outcome` on `day` in the product's total and once under each reason.
    /// - Parameter reasons: distinct and non-empty (`OfferOutcomeEffect.distinctReasonCodes`).
    mutating func add(_ outcome: OfferOutcome, day: Int64, productCode: String, reasons: [String]) {
        counts[Key(day: day, productCode: productCode, reasonCode: ""), default: OfferCounts()].add(outcome)
        for reason in reasons {
            counts[Key(day: day, productCode: productCode, reasonCode: reason), default: OfferCounts()].add(outcome)
        }
    }

    mutating func merge(_ other: OfferIncrements) {
        counts.merge(other.counts) { $0 + $1 }
    }

    /// Upserts every row, in primary-key order (one walk of the b-tree), with one cached statement.
    func apply(_ db: Database) throws {
        guard !counts.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO offer_outcomes (day, product_code, reason_code, presented, accepted, declined, ignored)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (day, product_code, reason_code) DO UPDATE SET
                presented = presented + excluded.presented, accepted = accepted + excluded.accepted,
                declined = declined + excluded.declined, ignored = ignored + excluded.ignored
            """)
        for (key, tally) in counts.sorted(by: { $0.key < $1.key }) {
            try statement.execute(arguments: [
                key.day, key.productCode, key.reasonCode, tally.presented, tally.accepted, tally.declined, tally.ignored,
            ])
        }
    }
}
