import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct InteractionMigrationTests {
    static let tables: Set = ["interactions", "interaction_requests", "open_follow_ups", "customer_activity", "nps_daily"]

    @Test func anEmptyFileGetsTheInteractionTables() async throws {
        try await withStore { store in
            let names = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
            }
            #expect(Set(names).isSuperset(of: Self.tables))
            #expect(Set(names).isSuperset(of: ["interactions_by_customer", "open_follow_ups_by_due", "interactions_surveys_by_time"]))
            // Everything personal cascades from the customer; nps_daily holds counts only.
            let cascading = try await store.pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                    WHERE m.type = 'table' AND f.on_delete = 'CASCADE'
                    """)
            }
            #expect(Set(cascading).isSuperset(of: Self.tables.subtracting(["nps_daily"])))
            #expect(!cascading.contains("nps_daily"))
        }
    }

    @Test func aV1FileWithCustomersMigratesAndItsCustomersCanBeLogged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        let customer = makeCustomer(now: LogFixture.now)
        do {
            let pool = try DatabasePool(path: path)
            try StoreSchema.migrator.migrate(pool, upTo: "v1-customers")
            try await pool.write { db in
                var record = try CustomerRecord(customer)
                record.etag = "v1-etag"
                try record.insert(db)
            }
            try pool.close()
        }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        defer { try? store.close() }
        let applied = try await store.pool.read { try StoreSchema.migrator.appliedMigrations($0) }
        #expect(applied == StoreSchema.migrationIdentifiers)
        #expect(try await store.customer(id: customer.id)?.etag == "v1-etag")
        try await LogFixture.log(store, LogFixture.interaction(customer.id, .complaint))
        #expect(try await store.count("open_follow_ups", where: "customer_id", is: customer.id) == 1)
        #expect(try await store.customer(id: customer.id)?.etag == "v1-etag")
    }
}
