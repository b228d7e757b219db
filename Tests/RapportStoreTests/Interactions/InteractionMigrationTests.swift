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
            #expect(Set(names).isSuperset(of: [
                "interactions_by_customer_time", "interactions_by_customer_sparse_kind", "open_follow_ups_by_due",
                "interactions_surveys_by_time",
            ]))
            // v8 replaced the two full per-customer indexes.
            #expect(!names.contains("interactions_by_customer"))
            #expect(!names.contains("interactions_by_customer_kind"))
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
                try PlaintextRows.insert(customer, etag: "v1-etag", db)
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

    /// The reads repeat the partial index's condition word for word; if the two drifted apart,
    /// SQLite would silently stop using the index (the plan tests would catch it too).
    @Test func theSparseKindIndexIsConditionedExactlyAsTheReadsSayIt() async throws {
        try await withStore { store in
            let sql = try await store.pool.read { db in
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'interactions_by_customer_sparse_kind'")
            }
            #expect(sql?.hasSuffix("WHERE " + StoreSchema.sparseKindCondition) == true, "\(sql ?? "no index")")
            for kind in StoreSchema.denseKinds {
                #expect(StoreSchema.sparseKindCondition.contains("'\(kind.rawValue)'"))
            }
        }
    }

    /// SQLite checks a partial index's condition on every inserted row; written as `NOT IN` a list
    /// of three, it built a temporary b-tree of the list each time (v8). The insert's program must
    /// open no such table.
    @Test func insertingAnInteractionBuildsNoTemporaryTable() async throws {
        try await withStore { store in
            let opcodes = try await store.pool.write { db in
                try Row.fetchAll(
                    db, sql: "EXPLAIN " + InteractionRecord.insertSQL,
                    arguments: StatementArguments(Array(repeating: DatabaseValue.null, count: 17))
                ).map { row -> String in row["opcode"] }
            }
            #expect(opcodes.contains("IdxInsert"), "\(opcodes)")
            #expect(!opcodes.contains("OpenEphemeral"), "\(opcodes)")
        }
    }

    /// A store from before v8 (and v9) keeps its log: each kind's newest-first list, the customer's
    /// whole list and the recommendation history read the same interactions through the new indexes.
    @Test(arguments: ["v7-offers", "v8-customer-indexes"])
    func anEarlierLogReadsTheSameThroughTheNewIndexes(upTo migration: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        let customer = makeCustomer(now: LogFixture.now)
        let kinds: [InteractionKind] = [.transaction, .inquiry, .serviceRequest, .complaint, .surveyResponse, .offerDeclined]
        let log = (0..<120).map { index in
            ReadFixture.interaction(
                ReadFixture.id(index), customer: customer.id, kind: kinds[index % kinds.count],
                at: ReadFixture.time(Int64((index * 37) % 120) * 60_000))
        }
        do {
            let pool = try DatabasePool(path: path)
            try StoreSchema.migrator.migrate(pool, upTo: migration)
            try await pool.write { db in
                try PlaintextRows.insert(customer, db)
                let snapshot = InteractionRecord.SegmentSnapshot(valueTier: .mass, lifecycleStage: .growth, branchID: "BR001")
                for interaction in log { try PlaintextRows.insert(interaction, snapshot: snapshot, db) }
            }
            try pool.close()
        }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path, synchronous: .normal))
        defer { try? store.close() }
        for filter in [InteractionFilter()] + kinds.map({ InteractionFilter(kinds: [$0]) }) {
            let page = try await store.interactions(customerID: customer.id, filter: filter, pageSize: 200, after: nil)
            #expect(page.interactions.map(\.id) == log.filter { matches($0, filter) }.sorted(by: newestFirst).map(\.id))
        }
    }
}
