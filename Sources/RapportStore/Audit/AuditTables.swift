import Foundation
import GRDB

/// The audit trail's tables: `audit_events` (the chained records) and `audit_event_customers`
/// (which events name which customer, for the customer filter; derived from the events, not hashed).
///
/// Neither table references `customers`: events outlive the customers they name. Triggers make
/// both append-only for every connection of the store (an attacker with the file can drop them,
/// which is what the hash chain is for).
enum AuditTables {
    static func v12Audit(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE audit_events (
                    id INTEGER NOT NULL PRIMARY KEY,
                    time INTEGER NOT NULL,
                    principal TEXT NOT NULL,
                    method TEXT NOT NULL,
                    customer_ids TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    peer TEXT NOT NULL,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE INDEX audit_events_by_principal ON audit_events(principal, id);
                CREATE INDEX audit_events_by_method ON audit_events(method, id);
                CREATE INDEX audit_events_by_time ON audit_events(time, id);
                CREATE TABLE audit_event_customers (
                    customer_id TEXT NOT NULL,
                    event_id INTEGER NOT NULL,
                    PRIMARY KEY (customer_id, event_id)
                ) WITHOUT ROWID;
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
                CREATE TRIGGER audit_event_customers_no_update BEFORE UPDATE ON audit_event_customers
                    BEGIN SELECT RAISE(ABORT, 'audit_event_customers is append-only'); END;
                CREATE TRIGGER audit_event_customers_no_delete BEFORE DELETE ON audit_event_customers
                    BEGIN SELECT RAISE(ABORT, 'audit_event_customers is append-only'); END;
                ALTER TABLE consent_decisions ADD COLUMN acting_for TEXT;
                """)
    }

    /// Appends `entry` as the next event of the chain, inside the caller's write transaction:
    /// the previous hash is read in that transaction, and the single writer serializes appends,
    /// so the chain has no forks. A rolled-back transaction (or savepoint) takes its event with it.
    static func append(_ db: Database, _ entry: AuditEntry) throws {
        let last = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1"))
        let previousID: Int64 = last?[0] ?? 0
        let previousHash: Data = last?[1] ?? AuditChain.genesisHash
        let (id, overflow) = previousID.addingReportingOverflow(1)
        guard !overflow else { throw StoreError(.other, "the audit trail has no more event ids") }
        let millis = try StoredTime.millis(entry.time)
        let hash = AuditChain.hash(id: id, time: millis, entry: entry, previousHash: previousHash)
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_events
                    (id, time, principal, method, customer_ids, outcome, detail, request_id, peer, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            id, millis, entry.principal, entry.method, try encodeIDs(entry.customerIDs), entry.outcome, entry.detail,
            entry.requestID, entry.peer, previousHash, hash,
        ])
        let index = try db.cachedStatement(sql: "INSERT OR IGNORE INTO audit_event_customers (customer_id, event_id) VALUES (?, ?)")
        for customerID in entry.customerIDs {
            try index.execute(arguments: [customerID, id])
        }
    }

    /// The write's event under `stamp`, or nothing when the write carries no stamp (seeding,
    /// imports and tests that write below the services).
    static func append(_ db: Database, stamp: AuditStamp?, customerIDs: [String], detail: String? = nil) throws {
        guard let stamp else { return }
        var seen = Set<String>()
        let distinct = customerIDs.filter { seen.insert($0).inserted }
        try append(db, AuditEntry(stamp: stamp, time: Date(), customerIDs: distinct, detail: detail))
    }

    static let columns = "id, time, principal, method, customer_ids, outcome, detail, request_id, peer, previous_hash, hash"

    /// An event from a row selected with `columns`.
    static func event(_ row: Row) throws -> AuditEvent {
        let millis: Int64 = row[1]
        let entry = AuditEntry(
            time: StoredTime.date(millis), principal: row[2], method: row[3], customerIDs: try decodeIDs(row[4]),
            outcome: row[5], detail: row[6], requestID: row[7], peer: row[8])
        return AuditEvent(id: row[0], entry: entry, previousHash: row[9], hash: row[10])
    }

    static func encodeIDs(_ ids: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
    }

    static func decodeIDs(_ text: String) throws -> [String] {
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "an audit event's customer ids are not a JSON array of strings")
        }
    }
}

extension AuditTables {
    /// The event of one logged interaction, in its savepoint (a failed entry rolls it back with
    /// the entry); returns the outcome unchanged.
    static func logged(_ db: Database, _ outcome: LogOutcome, stamp: AuditStamp?) throws -> LogOutcome {
        var detail: String?
        if case .replayed = outcome { detail = "replayed" }
        try append(db, stamp: stamp, customerIDs: [outcome.interaction.customerID], detail: detail)
        return outcome
    }
}
