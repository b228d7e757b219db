import GRDB
import RapportDomain

/// The database schema: GRDB migrations, applied in order when a store opens.
///
/// Migrations are frozen once released: each is plain SQL (not GRDB's schema builder, whose
/// output could change between GRDB versions) and a schema change is a new migration.
enum StoreSchema {
    /// The migration identifiers, oldest first.
    static let migrationIdentifiers = [
        "v1-customers", "v2-interactions", "v3-maintenance", "v4-products", "v5-coholding", "v6-segments", "v7-offers",
        "v8-customer-indexes", "v9-sparse-kind-comparisons", "v10-pairs-among-catalog", "v11-name-key-transliteration",
        "v12-audit",
        keysMigration, sealingMigration,
    ]

    /// The migration adding the sealed-reference column and the erasure tables; the store opens its
    /// keyring after it.
    static let keysMigration = "v13-keys-and-erasures"
    /// The migration sealing personal data written before encryption (needs the keyring).
    static let sealingMigration = "v14-seal-personal-data"

    /// The migrator the store runs on open.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-customers", migrate: v1Customers)
        migrator.registerMigration("v2-interactions", migrate: v2Interactions)
        migrator.registerMigration("v3-maintenance", migrate: v3Maintenance)
        migrator.registerMigration("v4-products", migrate: v4Products)
        migrator.registerMigration("v5-coholding", migrate: v5Coholding)
        migrator.registerMigration("v6-segments", migrate: v6Segments)
        migrator.registerMigration("v7-offers", migrate: OfferTables.v7Offers)
        migrator.registerMigration("v8-customer-indexes", migrate: v8CustomerIndexes)
        migrator.registerMigration("v9-sparse-kind-comparisons", migrate: v9SparseKindComparisons)
        migrator.registerMigration("v10-pairs-among-catalog", migrate: v10PairsAmongCatalog)
        migrator.registerMigration("v11-name-key-transliteration", migrate: v11NameKeyTransliteration)
        migrator.registerMigration("v12-audit", migrate: AuditTables.v12Audit)
        migrator.registerMigration(keysMigration, migrate: v13KeysAndErasures)
        migrator.registerMigration(sealingMigration, migrate: PersonalDataSealing.migrate)
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

    /// The interaction log and what is derived from it, kept up to date in the transaction that
    /// logs each interaction so that no read rescans the log:
    /// - `interactions`: the log. Times are integer milliseconds since 1970 (UTC). For survey
    ///   responses the `segment_*` columns keep the customer's branch and segments at the time
    ///   of the response, which NPS reports group by.
    /// - `interaction_requests`: idempotency keys of logged interactions.
    /// - `open_follow_ups`: the closed-loop queue (detractor responses and complaints without a
    ///   follow-up yet), a row removed when its follow-up is logged.
    /// - `customer_activity`: contacts and complaints per customer per UTC day (days since 1970),
    ///   from which the lifecycle trend reads at most 180 rows.
    /// - `nps_daily`: survey responses per UTC day and dimension values; NPS reports add whole
    ///   days from here and count partial days at the range's edges from `interactions`.
    ///   It holds counts only, no personal data, so it survives a customer's deletion.
    private static func v2Interactions(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE interactions (
                    id TEXT NOT NULL PRIMARY KEY,
                    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                    channel TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    employee_id TEXT NOT NULL,
                    product_code TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    nps_score INTEGER,
                    survey_reason TEXT,
                    complaint_category TEXT,
                    complaint_severity TEXT,
                    follow_up_of TEXT,
                    segment_value_tier TEXT,
                    segment_lifecycle_stage TEXT,
                    segment_branch_id TEXT
                );
                CREATE INDEX interactions_by_customer ON interactions(customer_id, occurred_at, id);
                CREATE INDEX interactions_by_customer_kind ON interactions(customer_id, kind, occurred_at, id);
                CREATE INDEX interactions_surveys_by_time ON interactions(occurred_at)
                    WHERE kind = 'surveyResponse';

                CREATE TABLE interaction_requests (
                    request_id TEXT NOT NULL PRIMARY KEY,
                    interaction_id TEXT NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX interaction_requests_by_interaction ON interaction_requests(interaction_id);

                CREATE TABLE open_follow_ups (
                    interaction_id TEXT NOT NULL PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,
                    customer_id TEXT NOT NULL,
                    branch_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    due_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX open_follow_ups_by_due ON open_follow_ups(due_at, interaction_id);
                CREATE INDEX open_follow_ups_by_customer ON open_follow_ups(customer_id, due_at, interaction_id);
                CREATE INDEX open_follow_ups_by_branch ON open_follow_ups(branch_id, due_at, interaction_id);

                CREATE TABLE customer_activity (
                    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                    day INTEGER NOT NULL,
                    contacts INTEGER NOT NULL,
                    complaints INTEGER NOT NULL,
                    PRIMARY KEY (customer_id, day)
                ) WITHOUT ROWID;

                CREATE TABLE nps_daily (
                    day INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    branch_id TEXT NOT NULL,
                    value_tier TEXT NOT NULL,
                    lifecycle_stage TEXT NOT NULL,
                    promoters INTEGER NOT NULL,
                    passives INTEGER NOT NULL,
                    detractors INTEGER NOT NULL,
                    PRIMARY KEY (day, channel, branch_id, value_tier, lifecycle_stage)
                ) WITHOUT ROWID;
                """)
    }

    /// What background jobs remember across restarts, by key (for example the UTC day the last
    /// complete segment sweep was for), so a restart does not redo a day's work.
    private static func v3Maintenance(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE maintenance_state (
                    key TEXT NOT NULL PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
    }

    /// The product catalog:
    /// - `products`: each product's current version, keyed by its caller-chosen code; retired
    ///   products stay (`active` 0, `retired_at` set). `(category, code)` serves a category's list.
    /// - `product_revisions`: every version ever written, the same columns keyed by
    ///   `(code, revision)`, appended in the transaction that writes `products`, so a changed or
    ///   retired product's history is never lost.
    /// `definition` is the `rapport.v1.Product` message (without version fields) as protobuf binary.
    private static func v4Products(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE products (
                    code TEXT NOT NULL PRIMARY KEY,
                    revision INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    definition BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    retired_at INTEGER,
                    etag TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX products_by_category ON products(category, code);

                CREATE TABLE product_revisions (
                    code TEXT NOT NULL REFERENCES products(code),
                    revision INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    definition BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    retired_at INTEGER,
                    etag TEXT NOT NULL,
                    PRIMARY KEY (code, revision)
                ) WITHOUT ROWID;
                """)
    }

    /// The co-holding statistics recommendations read (see `CoholdingTables`), kept up to date by
    /// every write that changes a customer's held products and backfilled here from the
    /// customers already stored:
    /// - `product_holders`: customers holding each product;
    /// - `coholding`: customers holding both products of a pair, one row per unordered pair
    ///   (`product_a < product_b` in Swift's string order, the same as SQLite's for the ASCII
    ///   codes products use, but not for every string, so SQL does not check it);
    /// - `next_product`: customers holding both who opened `to_code` after `from_code`.
    /// Counts only, no personal data; a deleted customer's holdings leave the counts.
    private static func v5Coholding(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE product_holders (
                    product_code TEXT NOT NULL PRIMARY KEY,
                    holders INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE coholding (
                    product_a TEXT NOT NULL,
                    product_b TEXT NOT NULL,
                    holders INTEGER NOT NULL,
                    PRIMARY KEY (product_a, product_b)
                ) WITHOUT ROWID;

                CREATE TABLE next_product (
                    from_code TEXT NOT NULL,
                    to_code TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (from_code, to_code)
                ) WITHOUT ROWID;
                """)
        try CoholdingTables.backfill(db)
    }

    /// The segment statistics recommendations read (see `SegmentTables`), kept up to date by
    /// every write that changes a customer's held products, value tier or date of birth
    /// (re-segmentation included) and backfilled here from the customers already stored. A cell
    /// is a value tier (its raw value, as in `customers.value_tier`) and the first year of a
    /// five-year birth cohort, -1 when the date of birth is unknown:
    /// - `segment_sizes`: customers in each cell, those holding nothing included;
    /// - `segment_holders`: customers in each cell holding each product (open holdings, each
    ///   product once per customer, as in `product_holders`).
    /// Counts only, no personal data; rows at 0 are deleted.
    private static func v6Segments(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE segment_sizes (
                    value_tier TEXT NOT NULL,
                    birth_cohort INTEGER NOT NULL,
                    customers INTEGER NOT NULL,
                    PRIMARY KEY (value_tier, birth_cohort)
                ) WITHOUT ROWID;

                CREATE TABLE segment_holders (
                    value_tier TEXT NOT NULL,
                    birth_cohort INTEGER NOT NULL,
                    product_code TEXT NOT NULL,
                    holders INTEGER NOT NULL,
                    PRIMARY KEY (value_tier, birth_cohort, product_code)
                ) WITHOUT ROWID;
                """)
        try SegmentTables.backfill(db)
    }

    /// The kinds a customer's `kind` index holds: all but the three a bank logs by the million
    /// (transactions, inquiries, service requests). Written exactly as in the index's `WHERE`
    /// (since v9): SQLite uses a partial index only for a query that repeats its condition, so a
    /// read by one of these kinds adds this term (`InteractionReadStatement`).
    static let sparseKindCondition = "kind <> 'transaction' AND kind <> 'inquiry' AND kind <> 'serviceRequest'"

    /// The kinds `sparseKindCondition` leaves out of the kind index.
    static let denseKinds: Set<InteractionKind> = [.transaction, .inquiry, .serviceRequest]

    /// Fewer pages written per logged interaction: every log wrote a leaf of two per-customer
    /// indexes, `(customer_id, occurred_at, id)` and `(customer_id, kind, occurred_at, id)`, and
    /// with many customers those are two random pages each (benchmarks/README.md, "a quiet machine,
    /// and many customers"). Now:
    /// - `interactions_by_customer_time (customer_id, occurred_at, id, kind)` serves every time-ordered
    ///   read of a customer and, covering `kind`, skips rows of other kinds without reading them;
    /// - `interactions_by_customer_sparse_kind (customer_id, kind, occurred_at, id)` holds only the
    ///   kinds outside the high-volume three, so a transaction, inquiry or service request writes
    ///   one per-customer index page instead of two, while "the latest survey", a customer's
    ///   complaints or declines still take one seek. A filter on a dense kind walks the
    ///   customer's time index (those kinds are most of its rows).
    /// Rebuilding both indexes reads every interaction once (tens of seconds for 10 million).
    private static func v8CustomerIndexes(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE INDEX interactions_by_customer_time ON interactions(customer_id, occurred_at, id, kind);
                DROP INDEX interactions_by_customer;
                CREATE INDEX interactions_by_customer_sparse_kind ON interactions(customer_id, kind, occurred_at, id)
                    WHERE kind NOT IN ('transaction', 'inquiry', 'serviceRequest');
                DROP INDEX interactions_by_customer_kind;
                """)
    }

    /// v8's kind index said `kind NOT IN ('transaction', 'inquiry', 'serviceRequest')`, and SQLite
    /// evaluates a partial index's condition for every inserted row: with three constants it built
    /// a temporary b-tree of the list each time (`OpenEphemeral` in the insert's program; two or
    /// fewer it compares in line), 4–6% of the writer's samples under LogInteraction and as much of
    /// every seeded row. The same set of rows as three comparisons, so the rebuilt index holds
    /// exactly what v8's did; rebuilding it reads every interaction once (tens of seconds for
    /// 10 million).
    private static func v9SparseKindComparisons(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX interactions_by_customer_sparse_kind;
                CREATE INDEX interactions_by_customer_sparse_kind ON interactions(customer_id, kind, occurred_at, id)
                    WHERE kind <> 'transaction' AND kind <> 'inquiry' AND kind <> 'serviceRequest';
                """)
    }

    /// Pairs are counted only between catalog codes (see `CoholdingTables`): drops the pairs
    /// counted before with a code the catalog does not know.
    private static func v10PairsAmongCatalog(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM coholding
                    WHERE product_a NOT IN (SELECT code FROM products) OR product_b NOT IN (SELECT code FROM products);
                DELETE FROM next_product
                    WHERE from_code NOT IN (SELECT code FROM products) OR to_code NOT IN (SELECT code FROM products);
                """)
    }

    /// Name keys written before v11 kept letters without a decomposition (ł, ø, æ …) as they were,
    /// so "lukasz" did not find "Łukasz". A stored key is already folded, and folding it again with
    /// `NameKey.latinASCII` gives the key the full name gets now; only keys with a character
    /// outside printable ASCII can change, so the others are not read.
    private static func v11NameKeyTransliteration(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, name_key FROM customers WHERE name_key GLOB '*[^ -~]*'")
        let update = try db.makeStatement(sql: "UPDATE customers SET name_key = ? WHERE id = ?")
        for row in rows {
            let id: String = row["id"]
            let stored: String = row["name_key"]
            let key = NameKey.key(for: stored)
            if key != stored {
                try update.execute(arguments: [key, id])
            }
        }
    }

    /// Encryption at rest and erasure (see `Keyring`, docs/security.md; the keys themselves are
    /// in `keys.sqlite`, not here, so a copy of this file holds none):
    /// - `customers.external_ref_sealed`: the sealed reference (`external_ref` holds its blind index).
    /// - `erasures`: one row per erased customer (ids and time only); `erased_requests`: their
    ///   create request ids, so a replay is refused rather than re-creating the person.
    /// - `erased_survey_responses`: erased customers' survey responses without identity or text,
    ///   which NPS reports count beside `interactions`.
    private static func v13KeysAndErasures(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE customers ADD COLUMN external_ref_sealed BLOB;

                CREATE TABLE erasures (
                    id TEXT NOT NULL PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    erased_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX erasures_by_customer ON erasures(customer_id);

                CREATE TABLE erased_requests (
                    request_id TEXT NOT NULL PRIMARY KEY,
                    erasure_id TEXT NOT NULL REFERENCES erasures(id)
                ) WITHOUT ROWID;

                CREATE TABLE erased_survey_responses (
                    occurred_at INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    nps_score INTEGER NOT NULL,
                    segment_value_tier TEXT,
                    segment_lifecycle_stage TEXT,
                    segment_branch_id TEXT
                );
                CREATE INDEX erased_survey_responses_by_time ON erased_survey_responses(occurred_at);
                """)
    }
}
