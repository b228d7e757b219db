import Foundation
import GRDB
import RapportDomain
import RapportProto
import RapportProtoMapping

/// One version of a product as `products` (the current one) and `product_revisions` (every one)
/// store it: version fields in columns, the definition as `rapport.v1.Product` protobuf binary.
struct ProductRecord: Sendable {
    /// The columns both tables share, in insert order.
    static let columns = "code, revision, category, active, definition, created_at, updated_at, retired_at, etag"

    var code: String
    var revision: Int64
    var category: String
    var active: Bool
    var definition: Data
    var createdAt: Int64
    var updatedAt: Int64
    var retiredAt: Int64?
    var etag: String

    init(_ product: Product) throws {
        code = product.code
        revision = Int64(product.revision)
        category = product.category.rawValue
        active = product.active
        do {
            definition = try product.definitionWire.serializedBytes()
        } catch {
            throw StoreError(.other, "cannot encode product \(product.code): \(error)", cause: error)
        }
        createdAt = try StoredTime.millis(product.createdAt)
        updatedAt = try StoredTime.millis(product.updatedAt)
        retiredAt = try product.retiredAt.map(StoredTime.millis)
        etag = product.etag
    }

    init(row: Row) throws {
        code = try row.decode(forColumn: "code")
        revision = try row.decode(forColumn: "revision")
        category = try row.decode(forColumn: "category")
        active = try row.decode(forColumn: "active")
        definition = try row.decode(forColumn: "definition")
        createdAt = try row.decode(forColumn: "created_at")
        updatedAt = try row.decode(forColumn: "updated_at")
        retiredAt = try row.decode(forColumn: "retired_at")
        etag = try row.decode(forColumn: "etag")
    }

    /// The domain product; an undecodable definition is corruption.
    func product() throws -> Product {
        var product: Product
        do {
            product = try Product(definition: Rapport_V1_Product(serializedBytes: definition))
        } catch {
            throw StoreError(.corrupt, "the stored definition of product \(code) revision \(revision) cannot be decoded", cause: error)
        }
        product.active = active
        product.createdAt = StoredTime.date(createdAt)
        product.updatedAt = StoredTime.date(updatedAt)
        product.retiredAt = retiredAt.map(StoredTime.date)
        product.etag = etag
        product.revision = Int(revision)
        return product
    }

    /// Writes this version as the product's current row and appends it to its history.
    func save(_ db: Database) throws {
        let arguments: StatementArguments = [code, revision, category, active, definition, createdAt, updatedAt, retiredAt, etag]
        try db.cachedStatement(sql: Self.upsertCurrent).execute(arguments: arguments)
        try db.cachedStatement(sql: "INSERT INTO product_revisions (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: arguments)
    }

    /// Inserts or updates the current row in place (an update, not REPLACE's delete and insert,
    /// which the revisions' foreign key would see).
    private static let upsertCurrent = """
        INSERT INTO products (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(code) DO UPDATE SET revision = excluded.revision, category = excluded.category, active = excluded.active,
            definition = excluded.definition, created_at = excluded.created_at, updated_at = excluded.updated_at,
            retired_at = excluded.retired_at, etag = excluded.etag
        """

    /// The current row of `code`, or nil.
    static func fetch(_ db: Database, code: String) throws -> ProductRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM products WHERE code = ?"), arguments: [code])
            .map(ProductRecord.init(row:))
    }
}
