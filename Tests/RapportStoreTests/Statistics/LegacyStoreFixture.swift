import Foundation
import GRDB
import RapportDomain
@testable import RapportStore

/// A store as an older daemon left it: migrated up to `lastMigration`, holding `customers`
/// (protobuf rows) and one customer whose profile and segmentation are the older JSON text, holding
/// P1 and P9 in `jsonTier`, and products named `catalog` (the tables exist from v4-products on).
/// The backfill tests open it with the current store.
enum LegacyStoreFixture {
    static func write(
        at path: String, upTo lastMigration: String, customers: [Customer], jsonTier: ValueTier, catalog: [String] = []
    ) async throws {
        let pool = try DatabasePool(path: path)
        try StoreSchema.migrator.migrate(pool, upTo: lastMigration)
        try await pool.write { db in
            for code in catalog {
                var product = makeProduct(code)
                product.active = true
                product.revision = 1
                product.etag = "e-\(code)"
                try ProductRecord(product).save(db)
            }
            for customer in customers { try PlaintextRows.insert(customer, db) }
            try db.execute(sql: """
                INSERT INTO customers (id, external_ref, name_key, value_tier, lifecycle_stage, risk_level,
                    branch_id, relationship_manager_id, profile, segmentation, created_at, updated_at, etag)
                VALUES ('cus_json', NULL, 'json customer', '\(jsonTier.rawValue)', 'growth', NULL, 'B1', 'R1',
                    '{"fullName":"Json Customer","phone":"","email":"","nationalID":"","preferredLanguage":"","branchID":"B1","relationshipManagerID":"R1","occupation":"","products":[{"productCode":"P1"},{"productCode":"P9"}]}',
                    '{"valueTier":"\(jsonTier.rawValue)","valueTierReasons":[],"lifecycleStage":"growth","lifecycleReasons":[]}',
                    1700000000000, 1700000000000, 'e1')
                """)
        }
        try pool.close()
    }
}
