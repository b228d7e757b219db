import Foundation
import GRDB
import Testing
@testable import RapportStore

@Suite struct MigrationTests {
    @Test func migratesAnEmptyFileToTheCurrentSchema() async throws {
        try await withStore { store in
            let (tables, indexes, applied) = try await store.pool.read { db in
                (
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"),
                    try StoreSchema.migrator.appliedMigrations(db)
                )
            }
            #expect(Set(tables).isSuperset(of: [
                "customers", "consent_decisions", "create_requests", "product_holders", "coholding", "next_product",
                "segment_sizes", "segment_holders",
            ]))
            #expect(Set(indexes).isSuperset(of: [
                "customers_by_value_tier", "customers_by_lifecycle_stage", "customers_by_risk_level",
                "customers_by_branch", "customers_by_relationship_manager", "customers_by_name_key",
                "create_requests_by_customer",
            ]))
            #expect(applied == StoreSchema.migrationIdentifiers)
            let indexColumns = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('customers_by_name_key') ORDER BY seqno")
            }
            #expect(indexColumns == ["name_key", "id"])
        }
    }

    @Test(arguments: StoreConfiguration.SynchronousMode.allCases)
    func usesWALAndTheConfiguredSynchronousMode(_ mode: StoreConfiguration.SynchronousMode) async throws {
        try await withStore(synchronous: mode) { store in
            let journalMode = try await store.pool.read { db in
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            }
            #expect(journalMode == "wal")
            // The writer connection is the one whose commits must be durable.
            let (writer, foreignKeys) = try await store.pool.writeWithoutTransaction { db in
                (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
            }
            #expect(writer == mode.pragmaNumber)
            #expect(foreignKeys == 1)
        }
    }

    /// Each earlier schema (including the empty one) migrates to the same schema as a fresh file,
    /// keeping its data; migrating a current file again changes nothing.
    @Test(arguments: [nil] + StoreSchema.migrationIdentifiers.map(Optional.some))
    func migratesFromEachEarlierSchema(_ previous: String?) async throws {
        let fresh = try TemporaryDirectory()
        defer { fresh.remove() }
        let freshStore = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: fresh.path))
        let expectedSchema = try await Self.schema(freshStore.pool)
        try freshStore.close()

        let old = try TemporaryDirectory()
        defer { old.remove() }
        let path = (old.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        do {
            let pool = try DatabasePool(path: path)
            if let previous {
                try StoreSchema.migrator.migrate(pool, upTo: previous)
            }
            // A plaintext row is what files from before v13 hold; from v13 on rows are sealed.
            if let previous, previous != StoreSchema.sealingMigration {
                try await pool.write { db in
                    try db.execute(sql: """
                        INSERT INTO customers (id, external_ref, name_key, value_tier, lifecycle_stage, risk_level,
                            branch_id, relationship_manager_id, profile, segmentation, created_at, updated_at, etag)
                        VALUES ('cus_old', 'EXT-OLD', 'old customer', 'mass', 'growth', NULL, 'B1', 'R1',
                            '{"fullName":"Old Customer","phone":"","email":"","nationalID":"","preferredLanguage":"","branchID":"B1","relationshipManagerID":"R1","occupation":"","products":[]}',
                            '{"valueTier":"mass","valueTierReasons":[],"lifecycleStage":"growth","lifecycleReasons":[]}',
                            1700000000000, 1700000000000, 'e1')
                        """)
                }
            }
            try pool.close()
        }

        for _ in 0..<2 {
            let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: old.path))
            #expect(try await Self.schema(store.pool) == expectedSchema)
            let applied = try await store.pool.read { try StoreSchema.migrator.appliedMigrations($0) }
            #expect(applied == StoreSchema.migrationIdentifiers)
            if previous != nil, previous != StoreSchema.sealingMigration {
                let kept = try await store.customer(externalRef: "EXT-OLD")
                #expect(kept?.id == "cus_old")
                #expect(kept?.profile.fullName == "Old Customer")
            }
            let problems = try await store.pool.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check").count }
            #expect(problems == 0)
            try store.close()
        }
    }

    /// Keys stored before v11 kept ł, ø, æ; after the migration every stored key is what the full
    /// name gets now, and a name-prefix list typed in ASCII finds those customers.
    @Test func v11TransliteratesStoredNameKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        let names = ["Łukasz Nowak", "Øystein Berg", "Ærø Hansen", "Þóra Sigurðardóttir", "Zoë Plain", "Ann Lee"]
        do {
            let pool = try DatabasePool(path: path)
            try StoreSchema.migrator.migrate(pool, upTo: "v9-sparse-kind-comparisons")
            try await pool.write { db in
                for (index, name) in names.enumerated() {
                    // The key as v9 wrote it: folded, but the letters without a decomposition kept.
                    let oldKey = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
                    try db.execute(
                        sql: """
                            INSERT INTO customers (id, external_ref, name_key, value_tier, lifecycle_stage, risk_level,
                                branch_id, relationship_manager_id, profile, segmentation, created_at, updated_at, etag)
                            VALUES (?, ?, ?, 'mass', 'growth', NULL, 'B1', 'R1', ?,
                                '{"valueTier":"mass","valueTierReasons":[],"lifecycleStage":"growth","lifecycleReasons":[]}',
                                1700000000000, 1700000000000, 'e1')
                            """,
                        arguments: [
                            "cus_\(index)", "EXT-\(index)", oldKey,
                            #"{"fullName":"\#(name)","phone":"","email":"","nationalID":"","preferredLanguage":"","branchID":"B1","relationshipManagerID":"R1","occupation":"","products":[]}"#,
                        ])
                }
            }
            try pool.close()
        }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        defer { try? store.close() }
        // v13 then replaced each key with the blind index of its first letters (no name stays).
        let keys = try await store.pool.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, name_key FROM customers").map {
                (try $0.decode(String.self, forColumn: "id"), try $0.decode(String.self, forColumn: "name_key"))
            })
        }
        for (index, name) in names.enumerated() {
            #expect(keys["cus_\(index)"] == NameBuckets.bucket(ofName: name, store.keyring), "\(name)")
        }
        for (prefix, id) in [("lukasz", "cus_0"), ("oystein", "cus_1"), ("aero", "cus_2"), ("thora", "cus_3")] {
            let page = try await store.list(CustomerQuery(namePrefix: prefix), pageSize: 10, after: nil)
            #expect(page.customers.map(\.id) == [id], "\(prefix)")
        }
    }

    /// The SQL of every table and index, by name.
    private static func schema(_ pool: DatabasePool) async throws -> [String: String] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'grdb_%'")
            var schema: [String: String] = [:]
            for row in rows {
                schema[try row.decode(String.self, forColumn: "name")] = try row.decode(String.self, forColumn: "sql")
            }
            return schema
        }
    }
}
