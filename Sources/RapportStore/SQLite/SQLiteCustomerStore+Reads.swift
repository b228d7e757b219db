import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    public func customer(id: String) async throws -> Customer? {
        try pointRead { db in
            // A cached statement: building the query from GRDB's query interface on every call
            // (SQL generation and authorizer checks) cost as much as the lookup.
            let statement = try db.cachedStatement(sql: "SELECT * FROM customers WHERE id = ?")
            return try CustomerRecord.fetchOne(statement, arguments: [id])?.customer()
        }
    }

    public func customer(externalRef: String) async throws -> Customer? {
        try pointRead { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM customers WHERE external_ref = ?")
            return try CustomerRecord.fetchOne(statement, arguments: [externalRef])?.customer()
        }
    }
}
