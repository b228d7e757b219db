import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    public func customer(id: String) async throws -> Customer? {
        try await mappingErrors {
            try await pool.read { db in
                try CustomerRecord.fetchOne(db, key: id)?.customer()
            }
        }
    }

    public func customer(externalRef: String) async throws -> Customer? {
        try await mappingErrors {
            try await pool.read { db in
                try CustomerRecord
                    .filter(CustomerRecord.Columns.externalRef == externalRef)
                    .fetchOne(db)?
                    .customer()
            }
        }
    }
}
