import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    public func customer(id: String) async throws -> Customer? {
        if let cached = customerCache.customer(id: id) { return cached }
        let generation = customerCache.generation
        return try pointRead { db in
            // A cached statement: building the query from GRDB's query interface on every call
            // (SQL generation and authorizer checks) cost as much as the lookup.
            let statement = try db.cachedStatement(sql: "SELECT rowid AS row_id, * FROM customers WHERE id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
            let customer = try CustomerRecord(row: row, db).customer()
            customerCache.store(customer, rowID: row["row_id"], readAt: generation)
            return customer
        }
    }

    public func customer(externalRef: String) async throws -> Customer? {
        try pointRead { db in
            // The column holds the reference's blind index, never the reference.
            let statement = try db.cachedStatement(sql: "SELECT * FROM customers WHERE external_ref = ?")
            let index = keyring.blindIndex(BlindIndexNames.externalRef, externalRef)
            return try CustomerRecord.fetchOne(statement, arguments: [index], db)?.customer()
        }
    }
}
