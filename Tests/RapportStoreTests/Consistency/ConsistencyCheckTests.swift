import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// The offline consistency check recomputes each derived table from its base rows: a store
/// written only through its own paths agrees, and any single row changed, removed or added
/// behind its back is reported under that table and nowhere else.
@Suite struct ConsistencyCheckTests {
    @Test func aVariedHistoryIsConsistent() async throws {
        try await withStore { store in
            try await ConsistencyFixture.seed(store)
            let report = try await store.checkConsistency()
            #expect(report.isConsistent, "\(report.failures)")
            for name in [
                "integrity_check", "activity daily counts", "nps daily counts", "open follow-ups", "offer outcome totals",
                "offer outcome reasons", "co-holding statistics: product holders", "co-holding statistics: pairs",
                "co-holding statistics: sequences", "segment statistics: sizes", "segment statistics: holders",
                "current products", "customer filter columns",
            ] {
                let check = try #require(report.check(named: name), "no check \(name)")
                #expect(check.compared > 0, "\(name) compared nothing")
            }
            // The erased customer's offers stay counted: the totals are a lower bound, and say so.
            #expect(report.check(named: "offer outcome totals")?.notes.contains("lower bound") == true)
        }
    }

    /// One row of each derived table changed in place.
    static let changes: [(String, String)] = [
        ("activity daily counts", """
            UPDATE customer_activity SET contacts = contacts + 1
            WHERE (customer_id, day) = (SELECT customer_id, day FROM customer_activity LIMIT 1)
            """),
        ("nps daily counts", """
            UPDATE nps_daily SET detractors = detractors + 1
            WHERE (day, channel, branch_id, value_tier, lifecycle_stage)
                = (SELECT day, channel, branch_id, value_tier, lifecycle_stage FROM nps_daily LIMIT 1)
            """),
        ("open follow-ups", """
            UPDATE open_follow_ups SET reason = CASE reason WHEN 'complaint' THEN 'detractor' ELSE 'complaint' END
            WHERE interaction_id = (SELECT interaction_id FROM open_follow_ups LIMIT 1)
            """),
        ("offer outcome totals", """
            UPDATE offer_outcomes SET ignored = 0 WHERE product_code = 'SAVINGS' AND reason_code = '' AND ignored > 0
            """),
        ("offer outcome reasons", "UPDATE offer_outcomes SET presented = presented + 5 WHERE reason_code = 'R3'"),
        ("co-holding statistics: product holders", "UPDATE product_holders SET holders = holders + 1 WHERE product_code = 'CURRENT'"),
        ("co-holding statistics: pairs", "UPDATE coholding SET holders = holders + 1 WHERE product_a = 'CARD' AND product_b = 'CURRENT'"),
        ("co-holding statistics: sequences", "UPDATE next_product SET count = count + 1 WHERE from_code = 'CURRENT' AND to_code = 'CARD'"),
        ("segment statistics: sizes", """
            UPDATE segment_sizes SET customers = customers + 1
            WHERE (value_tier, birth_cohort) = (SELECT value_tier, birth_cohort FROM segment_sizes LIMIT 1)
            """),
        ("segment statistics: holders", """
            UPDATE segment_holders SET holders = holders + 1
            WHERE (value_tier, birth_cohort, product_code)
                = (SELECT value_tier, birth_cohort, product_code FROM segment_holders LIMIT 1)
            """),
        ("current products", "UPDATE products SET etag = 'tampered' WHERE code = 'CARD'"),
        ("customer filter columns", "UPDATE customers SET branch_id = 'BR999' WHERE id = (SELECT id FROM customers LIMIT 1)"),
    ]

    @Test(arguments: changes)
    func aChangedRowIsReportedUnderItsTable(_ check: String, _ sql: String) async throws {
        try await expectOneMismatch(in: check, after: sql)
    }

    /// Rows removed from, or added to, derived tables behind the store's back.
    static let removalsAndAdditions: [(String, String)] = [
        ("activity daily counts", """
            DELETE FROM customer_activity WHERE (customer_id, day) = (SELECT customer_id, day FROM customer_activity LIMIT 1)
            """),
        ("activity daily counts", """
            INSERT INTO customer_activity (customer_id, day, contacts, complaints)
            SELECT id, 1, 1, 0 FROM customers LIMIT 1
            """),
        ("nps daily counts", """
            DELETE FROM nps_daily WHERE (day, channel, branch_id, value_tier, lifecycle_stage)
                = (SELECT day, channel, branch_id, value_tier, lifecycle_stage FROM nps_daily LIMIT 1)
            """),
        ("open follow-ups", "DELETE FROM open_follow_ups WHERE interaction_id = (SELECT interaction_id FROM open_follow_ups LIMIT 1)"),
        ("open follow-ups", """
            INSERT INTO open_follow_ups (interaction_id, customer_id, branch_id, reason, due_at)
            SELECT id, customer_id, 'BR001', 'complaint', occurred_at FROM interactions WHERE kind = 'inquiry' LIMIT 1
            """),
        ("offer outcome totals", "DELETE FROM offer_outcomes WHERE product_code = 'SAVINGS' AND reason_code = ''"),
        ("offer outcome reasons", """
            INSERT INTO offer_outcomes (day, product_code, reason_code, presented, accepted, declined, ignored)
            VALUES (1, 'CARD', 'R9', 1, 0, 0, 0)
            """),
        ("co-holding statistics: pairs", "INSERT INTO coholding (product_a, product_b, holders) VALUES ('AAA', 'ZZZ', 1)"),
        ("co-holding statistics: product holders", "DELETE FROM product_holders WHERE product_code = 'OFFCATALOG'"),
        ("segment statistics: sizes", "INSERT INTO segment_sizes (value_tier, birth_cohort, customers) VALUES ('mass', 1900, 1)"),
        ("current products", "DELETE FROM product_revisions WHERE code = 'LOAN'"),
    ]

    @Test(arguments: removalsAndAdditions)
    func aRemovedOrAddedRowIsReportedUnderItsTable(_ check: String, _ sql: String) async throws {
        try await expectOneMismatch(in: check, after: sql)
    }

    @Test func examplesNameKeysAndCountsAndStopAtTheLimit() async throws {
        try await withStore { store in
            try await ConsistencyFixture.seed(store)
            try await store.pool.write { try $0.execute(sql: "UPDATE customer_activity SET contacts = contacts + 7") }
            let report = try await store.checkConsistency(examplesPerTable: 2)
            let check = try #require(report.check(named: "activity daily counts"))
            #expect(check.mismatched == check.compared)
            #expect(check.examples.count == 2)
            let example = try #require(check.examples.first)
            #expect(example.contains("customer_id=cus_") && example.contains("contacts="), "\(example)")
            #expect(!example.contains("Ada") && !example.contains("Lovelace"))
        }
    }

    /// Seeds a store, applies `sql`, and expects exactly one mismatch, under `check`, and nothing else.
    private func expectOneMismatch(in check: String, after sql: String) async throws {
        try await withStore { store in
            try await ConsistencyFixture.seed(store)
            #expect(try await store.checkConsistency().isConsistent)
            try await ConsistencyFixture.tamper(store, sql)
            let report = try await store.checkConsistency()
            let reported = try #require(report.check(named: check))
            #expect(reported.mismatched == 1, "\(report.failures)")
            #expect(reported.examples.count == 1)
            let others = report.checks.filter { $0.name != reported.name && !$0.isConsistent }
            #expect(others.isEmpty, "\(report.failures)")
            #expect(!report.isConsistent)
        }
    }
}
