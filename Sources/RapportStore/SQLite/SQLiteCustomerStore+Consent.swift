import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    public func appendConsent(customerID: String, _ decisions: [ConsentDecision]) async throws -> [ConsentDecision] {
        try await mappingErrors {
            try await pool.write { db in
                try Self.requireCustomer(db, id: customerID)
                let last = try Int64.fetchOne(
                    db, sql: "SELECT MAX(seq) FROM consent_decisions WHERE customer_id = ?", arguments: [customerID])
                let recordedAt = try StoredTime.millis(Date())
                for (offset, decision) in decisions.enumerated() {
                    try ConsentRecord(
                        customerID: customerID, seq: (last ?? 0) + 1 + Int64(offset), decision: decision,
                        recordedAt: recordedAt
                    ).insert(db)
                }
                return try ConsentRecord.history(db, customerID: customerID)
            }
        }
    }

    public func consentHistory(customerID: String) async throws -> [ConsentDecision] {
        try await mappingErrors {
            try await pool.read { db in
                try Self.requireCustomer(db, id: customerID)
                return try ConsentRecord.history(db, customerID: customerID)
            }
        }
    }

    private static func requireCustomer(_ db: Database, id: String) throws {
        guard try CustomerRecord.exists(db, key: id) else {
            throw StoreError(.notFound, "no customer with id \(id)")
        }
    }
}
