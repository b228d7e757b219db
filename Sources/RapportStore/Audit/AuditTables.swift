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

    /// Appends `entries`, in order, as the next events of the chain, inside the caller's write
    /// transaction: the chain's head is read in that transaction, and the single writer serializes
    /// appends, so the chain has no forks. A rolled-back transaction (or savepoint) takes its
    /// events with it.
    static func append(_ db: Database, _ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        let last = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1"))
        var previousID: Int64 = last?[0] ?? 0
        var previousHash: Data = last?[1] ?? AuditChain.genesisHash
        let insert = try BoundInsert(
            db,
            sql: """
                INSERT INTO audit_events
                    (id, time, principal, method, customer_ids, outcome, detail, request_id, peer, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let index = try BoundInsert(db, sql: "INSERT OR IGNORE INTO audit_event_customers (customer_id, event_id) VALUES (?, ?)")
        for entry in entries {
            let (id, overflow) = previousID.addingReportingOverflow(1)
            guard !overflow else { throw StoreError(.other, "the audit trail has no more event ids") }
            let millis = try StoredTime.millis(entry.time)
            let hash = AuditChain.hash(id: id, time: millis, entry: entry, previousHash: previousHash)
            try insert.run(db) { row in
                row.bind(id, at: 1)
                row.bind(millis, at: 2)
                row.bind(entry.principal, at: 3)
                row.bind(entry.method, at: 4)
                row.bind(encodeIDs(entry.customerIDs), at: 5)
                row.bind(entry.outcome, at: 6)
                row.bind(entry.detail, at: 7)
                row.bind(entry.requestID, at: 8)
                row.bind(entry.peer, at: 9)
                row.bind(previousHash, at: 10)
                row.bind(hash, at: 11)
            }
            for customerID in entry.customerIDs {
                try index.run(db) { row in
                    row.bind(customerID, at: 1)
                    row.bind(id, at: 2)
                }
            }
            previousID = id
            previousHash = hash
        }
    }

    /// The write's event under `stamp`, or nothing when the write carries no stamp (seeding,
    /// imports and tests that write below the services).
    static func append(_ db: Database, stamp: AuditStamp?, customerIDs: [String], detail: String? = nil) throws {
        guard let stamp else { return }
        var seen = Set<String>()
        let distinct = customerIDs.filter { seen.insert($0).inserted }
        try append(db, [AuditEntry(stamp: stamp, time: Date(), customerIDs: distinct, detail: detail)])
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

    /// The ids as a JSON array of strings. Written by hand: this runs for every event, and
    /// `JSONEncoder` was the append's largest cost (benchmarks/JOURNAL.md).
    static func encodeIDs(_ ids: [String]) -> String {
        var json = "["
        for (position, id) in ids.enumerated() {
            if position > 0 { json.append(",") }
            json.append("\"")
            if !id.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                json.append(id)
                json.append("\"")
                continue
            }
            for scalar in id.unicodeScalars {
                switch scalar {
                case "\"": json.append("\\\"")
                case "\\": json.append("\\\\")
                case "\u{00}"..."\u{1F}":
                    let hex = String(scalar.value, radix: 16)
                    json.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: json.unicodeScalars.append(scalar)
                }
            }
            json.append("\"")
        }
        json.append("]")
        return json
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
    /// The event of one logged interaction under `stamp` ("replayed" when a retry replayed an
    /// earlier one), or nil when the write carries no stamp.
    static func entry(logging outcome: LogOutcome, stamp: AuditStamp?, time: Date) -> AuditEntry? {
        guard let stamp else { return nil }
        var detail: String?
        if case .replayed = outcome { detail = "replayed" }
        return AuditEntry(stamp: stamp, time: time, customerIDs: [outcome.interaction.customerID], detail: detail)
    }
}
