import GRDB
import RapportDomain

/// The `offer_outcomes` table: its migration and its reads (the writes are `OfferIncrements`,
/// applied in the transaction that logs the outcomes).
enum OfferTables {
    /// `offer_outcomes`: outcomes per UTC day (days since 1970, as the other daily tables),
    /// product and reason code; reason '' is the product's total, counting every offer once,
    /// and each reason row counts the offers made with that reason. Counts only, no personal
    /// data, so it survives a customer's deletion (as `nps_daily`).
    ///
    /// Backfilled from the offer interactions already logged, in the totals only (they carry
    /// no reasons): one scan of `interactions`, once.
    static func v7Offers(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE offer_outcomes (
                    day INTEGER NOT NULL,
                    product_code TEXT NOT NULL,
                    reason_code TEXT NOT NULL,
                    presented INTEGER NOT NULL,
                    accepted INTEGER NOT NULL,
                    declined INTEGER NOT NULL,
                    ignored INTEGER NOT NULL,
                    PRIMARY KEY (day, product_code, reason_code)
                ) WITHOUT ROWID;

                INSERT INTO offer_outcomes (day, product_code, reason_code, presented, accepted, declined, ignored)
                SELECT day, product_code, '', SUM(kind = 'offerPresented'), SUM(kind = 'offerAccepted'),
                       SUM(kind = 'offerDeclined'), SUM(kind = 'offerIgnored')
                FROM (
                    -- The floor of a division (SQLite's truncates), so days before 1970 match UTCDay.
                    SELECT (occurred_at - CASE WHEN occurred_at < 0 THEN 86399999 ELSE 0 END) / 86400000 AS day,
                           product_code, kind
                    FROM interactions
                    WHERE kind IN ('offerPresented', 'offerAccepted', 'offerDeclined', 'offerIgnored') AND product_code <> ''
                )
                GROUP BY day, product_code;
                """)
    }

    /// All-time counts: per product (the total rows) and per reason code (summed over products).
    static func read(_ db: Database) throws -> OfferStatistics {
        try statistics(
            db.cachedStatement(sql: """
                SELECT product_code, reason_code, SUM(presented), SUM(accepted), SUM(declined), SUM(ignored)
                FROM offer_outcomes GROUP BY product_code, reason_code
                """), arguments: [])
    }

    /// The counts of the UTC days `from ..< before`: one range of the primary key.
    static func read(_ db: Database, from: CalendarDate, before: CalendarDate) throws -> OfferStatistics {
        try statistics(
            db.cachedStatement(sql: """
                SELECT product_code, reason_code, SUM(presented), SUM(accepted), SUM(declined), SUM(ignored)
                FROM offer_outcomes WHERE day >= ? AND day < ? GROUP BY product_code, reason_code
                """), arguments: [UTCDay.number(of: from), UTCDay.number(of: before)])
    }

    private static func statistics(_ statement: Statement, arguments: StatementArguments) throws -> OfferStatistics {
        var result = OfferStatistics()
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            let product: String = try row.decode(atIndex: 0)
            let reason: String = try row.decode(atIndex: 1)
            let counts = OfferCounts(
                presented: try row.decode(atIndex: 2), accepted: try row.decode(atIndex: 3),
                declined: try row.decode(atIndex: 4), ignored: try row.decode(atIndex: 5))
            if reason.isEmpty {
                result.byProduct[product, default: OfferCounts()] = result.byProduct[product, default: OfferCounts()] + counts
            } else {
                result.byReason[reason, default: OfferCounts()] = result.byReason[reason, default: OfferCounts()] + counts
            }
        }
        return result
    }
}
