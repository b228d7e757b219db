import Foundation
import GRDB

/// Migration `v14-seal-personal-data`: seals what a database written before encryption holds in
/// the clear — every customer's profile and external reference (with a new data key each, and
/// blind indexes for the reference and name bucket), interaction summaries and survey reasons, and
/// consent details. The store then VACUUMs the file and truncates the write-ahead log, and runs
/// with `secure_delete`, so no page keeps the plaintext (see docs/security.md).
enum PersonalDataSealing {
    /// Rows converted per statement batch: bounded memory on large books.
    static let batchSize = 1_000

    static func migrate(_ db: Database) throws {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM customers WHERE external_ref_sealed IS NULL")
        let select = try db.makeStatement(sql: "SELECT * FROM customers WHERE id = ?")
        for id in ids {
            guard let row = try Row.fetchOne(select, arguments: [id]) else { continue }
            let plain = try CustomerRecord(row: row, db)
            guard plain.externalRefIndex == nil else { continue }
            try CustomerRecord(plain.customer(), db).update(db)
        }
        try sealInteractions(db)
        try sealConsentDetails(db)
    }

    private static func sealInteractions(_ db: Database) throws {
        let update = try db.makeStatement(sql: "UPDATE interactions SET summary = ?, survey_reason = ? WHERE rowid = ?")
        var after = Int64.min
        while true {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT rowid, id, customer_id, summary, survey_reason FROM interactions
                    WHERE rowid > ? AND typeof(summary) = 'text' ORDER BY rowid LIMIT ?
                    """,
                arguments: [after, batchSize])
            guard let last = rows.last else { return }
            let keyring = try Keyring.of(db)
            for row in rows {
                let id: String = row["id"]
                let customerID: String = row["customer_id"]
                let key = try keyring.requireDataKey(for: customerID)
                let summary: String = row["summary"]
                let reason: String? = row["survey_reason"]
                try update.execute(arguments: [
                    try FieldCipher.seal(Data(summary.utf8), key: key, place: InteractionTexts.place(customerID, id, "summary")),
                    try reason.map {
                        try FieldCipher.seal(Data($0.utf8), key: key, place: InteractionTexts.place(customerID, id, "survey_reason"))
                    },
                    row["rowid"] as Int64,
                ])
            }
            after = last["rowid"]
        }
    }

    private static func sealConsentDetails(_ db: Database) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT customer_id, seq, source_detail FROM consent_decisions WHERE typeof(source_detail) = 'text'")
        guard !rows.isEmpty else { return }
        let keyring = try Keyring.of(db)
        let update = try db.makeStatement(sql: "UPDATE consent_decisions SET source_detail = ? WHERE customer_id = ? AND seq = ?")
        for row in rows {
            let customerID: String = row["customer_id"]
            let seq: Int64 = row["seq"]
            let detail: String = row["source_detail"]
            let key = try keyring.requireDataKey(for: customerID)
            try update.execute(arguments: [
                try FieldCipher.seal(Data(detail.utf8), key: key, place: ConsentRecord.place(customerID, seq)), customerID, seq,
            ])
        }
    }
}
