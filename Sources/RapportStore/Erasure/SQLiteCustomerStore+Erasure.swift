import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    /// Erases the customer: in one transaction keeps their survey
    /// responses as anonymised facts (`erased_survey_responses`: time, channel, score, segment at
    /// response — what NPS reports count), remembers their create request ids under the erasure,
    /// records the receipt, and deletes their rows (consent, interactions, follow-ups, activity go
    /// with them); then destroys their data key. Co-holding and segment statistics drop the
    /// customer's holdings as for any removal; they hold counts only.
    @discardableResult
    public func delete(id: String, expectedEtag: String?) async throws -> ErasureReceipt {
        try await delete(id: id, expectedEtag: expectedEtag, audit: nil)
    }

    /// `delete`, with the erasure's audit event (under `audit`, when given) in its transaction.
    @discardableResult
    public func delete(id: String, expectedEtag: String?, audit: AuditStamp?) async throws -> ErasureReceipt {
        try await mappingErrors {
            let receipt = try await pool.write { db in
                let current = try Self.fetchForWrite(db, id: id, expectedEtag: expectedEtag)
                let erasedAt = Date()
                let millis = try StoredTime.millis(erasedAt)
                let erasureID = "era_" + SortableIDGenerator.shared.next(now: erasedAt)
                try db.execute(
                    sql: """
                        INSERT INTO erased_survey_responses
                            (occurred_at, channel, nps_score, segment_value_tier, segment_lifecycle_stage, segment_branch_id)
                        SELECT occurred_at, channel, nps_score, segment_value_tier, segment_lifecycle_stage, segment_branch_id
                        FROM interactions WHERE customer_id = ? AND kind = 'surveyResponse' AND nps_score IS NOT NULL
                        """,
                    arguments: [current.id])
                let surveys = db.changesCount
                let interactions = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM interactions WHERE customer_id = ?", arguments: [current.id]) ?? 0
                let kept = [
                    ErasureReceipt.KeptFact(
                        kind: "survey_responses", count: surveys,
                        description: "time, channel, NPS score and the segment at response, without customer id or text, so NPS reports are unchanged"),
                    ErasureReceipt.KeptFact(
                        kind: "nps_daily_counts", count: surveys,
                        description: "daily promoter/passive/detractor counts, which never held customer ids"),
                    ErasureReceipt.KeptFact(
                        kind: "interactions_removed", count: interactions,
                        description: "interactions deleted with their sealed texts; only the survey facts above remain"),
                ]
                try db.execute(
                    sql: "INSERT INTO erasures (id, customer_id, erased_at) VALUES (?, ?, ?)",
                    arguments: [erasureID, current.id, millis])
                try db.execute(
                    sql: "INSERT INTO erased_requests (request_id, erasure_id) SELECT request_id, ? FROM create_requests WHERE customer_id = ?",
                    arguments: [erasureID, current.id])
                // Consent decisions, create requests, interactions (with their request ids and open
                // follow-ups) and daily activity go with it (ON DELETE CASCADE).
                _ = try CustomerRecord.deleteOne(db, key: current.id)
                try StatisticsTables.customerChanged(from: current, to: nil, db)
                try AuditTables.append(db, stamp: audit, customerIDs: [current.id], detail: "erased \(erasureID)")
                return ErasureReceipt(id: erasureID, customerID: current.id, erasedAt: StoredTime.date(millis), kept: kept)
            }
            // After the rows are gone: a crash in between leaves a key no row uses, which the next
            // open destroys (`destroyErasedKeys`).
            try keyring.destroyDataKeys(for: [receipt.customerID])
            return receipt
        }
    }

    /// Destroys the keys of erased customers that a crash left behind.
    func destroyErasedKeys() throws {
        let erased = try pool.read { try String.fetchAll($0, sql: "SELECT customer_id FROM erasures") }
        guard !erased.isEmpty else { return }
        let remaining = try keyring.pool.read { db in
            try erased.filter { id in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM customer_keys WHERE customer_id = ?", arguments: [id]) ?? false
            }
        }
        if !remaining.isEmpty { try keyring.destroyDataKeys(for: remaining) }
    }

    /// The erasure that removed the customer a create request id made, if any.
    static func erasure(ofRequest requestID: String, _ db: Database) throws -> (id: String, erasedAt: Int64)? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT e.id, e.erased_at FROM erased_requests r JOIN erasures e ON e.id = r.erasure_id WHERE r.request_id = ?
                """),
            arguments: [requestID])
        else { return nil }
        return (row[0], row[1])
    }
}
