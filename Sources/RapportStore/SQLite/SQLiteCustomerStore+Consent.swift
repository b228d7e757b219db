import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    public func appendConsent(customerID: String, _ decisions: [ConsentDecision]) async throws -> [ConsentDecision] {
        try await appendConsent(customerID: customerID, decisions, audit: nil)
    }

    public func appendConsent(
        customerID: String, _ decisions: [ConsentDecision], audit: AuditStamp?
    ) async throws -> [ConsentDecision] {
        try await mappingErrors {
            try await pool.write { db in
                try Self.requireCustomer(db, id: customerID)
                try Self.append(db, customerID: customerID, decisions, recordedAt: try StoredTime.millis(Date()))
                try AuditTables.append(db, stamp: audit, customerIDs: [customerID])
                return try ConsentRecord.history(db, customerID: customerID)
            }
        }
    }

    /// Appends consent decisions for many customers in one transaction, for seeding: no
    /// validation beyond the schema's, and nothing read back.
    ///
    /// - Throws: `.notFound` naming the first customer that does not exist; nothing is written then.
    public func importConsent(_ decisions: [(customerID: String, decisions: [ConsentDecision])], recordedAt: Date) async throws {
        try await mappingErrors {
            try await pool.write { db in
                let recordedAt = try StoredTime.millis(recordedAt)
                for (customerID, customerDecisions) in decisions where !customerDecisions.isEmpty {
                    try Self.requireCustomer(db, id: customerID)
                    try Self.append(db, customerID: customerID, customerDecisions, recordedAt: recordedAt)
                }
            }
        }
    }

    public func consentHistory(customerID: String) async throws -> [ConsentDecision] {
        try await mappingErrors {
            try await asyncRead { db in
                try Self.requireCustomer(db, id: customerID)
                return try ConsentRecord.history(db, customerID: customerID)
            }
        }
    }

    /// Numbers `decisions` after the customer's last one and inserts them.
    private static func append(_ db: Database, customerID: String, _ decisions: [ConsentDecision], recordedAt: Int64) throws {
        let last = try Int64.fetchOne(
            db, sql: "SELECT MAX(seq) FROM consent_decisions WHERE customer_id = ?", arguments: [customerID])
        for (offset, decision) in decisions.enumerated() {
            try ConsentRecord(
                customerID: customerID, seq: (last ?? 0) + 1 + Int64(offset), decision: decision, recordedAt: recordedAt, db
            ).insert(db)
        }
    }

    private static func requireCustomer(_ db: Database, id: String) throws {
        guard try CustomerRecord.exists(db, key: id) else {
            throw StoreError(.notFound, "no customer with id \(id)")
        }
    }
}
