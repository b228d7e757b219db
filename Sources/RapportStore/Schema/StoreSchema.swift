import GRDB

/// The database schema: GRDB migrations, applied in order when a store opens.
///
/// Migrations are frozen once released: each is plain SQL (not GRDB's schema builder, whose
/// output could change between GRDB versions) and a schema change is a new migration.
enum StoreSchema {
    /// The migration identifiers, oldest first.
    static let migrationIdentifiers = ["v1-customers"]

    /// The migrator the store runs on open.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-customers", migrate: v1Customers)
        return migrator
    }

    /// Customers, their consent history and create idempotency keys.
    ///
    /// Filter columns are real columns, each with a composite `(column, id)` index, so a filtered
    /// keyset page is an index range in `id` order. Name-prefix lists use `(name_key, id)`.
    /// Times are integer milliseconds since 1970.
    private static func v1Customers(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE customers (
                    id TEXT NOT NULL PRIMARY KEY,
                    external_ref TEXT UNIQUE,
                    name_key TEXT NOT NULL,
                    value_tier TEXT NOT NULL,
                    lifecycle_stage TEXT NOT NULL,
                    risk_level TEXT,
                    branch_id TEXT NOT NULL,
                    relationship_manager_id TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    segmentation TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    etag TEXT NOT NULL
                );
                CREATE INDEX customers_by_value_tier ON customers(value_tier, id);
                CREATE INDEX customers_by_lifecycle_stage ON customers(lifecycle_stage, id);
                CREATE INDEX customers_by_risk_level ON customers(risk_level, id);
                CREATE INDEX customers_by_branch ON customers(branch_id, id);
                CREATE INDEX customers_by_relationship_manager ON customers(relationship_manager_id, id);
                CREATE INDEX customers_by_name_key ON customers(name_key, id);

                CREATE TABLE consent_decisions (
                    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    granted INTEGER NOT NULL,
                    decided_at INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    source_detail TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    PRIMARY KEY (customer_id, seq)
                ) WITHOUT ROWID;

                CREATE TABLE create_requests (
                    request_id TEXT NOT NULL PRIMARY KEY,
                    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX create_requests_by_customer ON create_requests(customer_id);
                """)
    }
}
