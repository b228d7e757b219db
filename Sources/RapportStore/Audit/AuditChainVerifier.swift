import Foundation
import GRDB

/// Walks the chain event by event, in id order, and stops at the first that does not follow
/// from the ones before it.
struct AuditChainVerifier {
    private(set) var lastID: Int64 = 0
    private var lastHash = AuditChain.genesisHash
    private var count: Int64 = 0

    /// A stored event as read, without decoding more than the hash needs.
    struct StoredRow {
        let id: Int64
        let millis: Int64
        let entry: AuditEntry?
        let previousHash: Data
        let hash: Data
    }

    static func rows(_ db: Database, afterID: Int64, limit: Int) throws -> [StoredRow] {
        try Row.fetchAll(
            db, sql: "SELECT \(AuditTables.columns) FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",
            arguments: [afterID, limit]
        ).map { row in
            let ids = try? AuditTables.decodeIDs(row[4])
            let entry = ids.map { ids in
                AuditEntry(
                    time: StoredTime.date(row[1]), principal: row[2], method: row[3], customerIDs: ids, outcome: row[5],
                    detail: row[6], requestID: row[7], peer: row[8])
            }
            return StoredRow(id: row[0], millis: row[1], entry: entry, previousHash: row[9], hash: row[10])
        }
    }

    /// Nil when `row` follows from the events before it; otherwise the verdict naming it.
    mutating func check(_ row: StoredRow) -> AuditChainVerdict? {
        let expectedID = lastID + 1
        guard row.id == expectedID else {
            return .broken(eventID: row.id, reason: "event \(expectedID) is missing: the event before this one is \(lastID)")
        }
        guard row.previousHash == lastHash else {
            return .broken(eventID: row.id, reason: "its previous hash is not the hash of event \(lastID)")
        }
        guard let entry = row.entry else {
            return .broken(eventID: row.id, reason: "its customer ids are not a JSON array of strings")
        }
        guard AuditChain.hash(id: row.id, time: row.millis, entry: entry, previousHash: row.previousHash) == row.hash else {
            return .broken(eventID: row.id, reason: "its fields do not hash to its stored hash: the event was changed")
        }
        lastID = row.id
        lastHash = row.hash
        count += 1
        return nil
    }

    var verdict: AuditChainVerdict { .intact(events: count, headHash: lastHash) }
}
