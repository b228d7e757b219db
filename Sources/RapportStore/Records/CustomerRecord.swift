import GRDB
import RapportDomain

/// A row of `customers`: the profile and segmentation (see `CustomerColumns` for their format),
/// plus the columns lists filter on.
///
/// Read and written by hand, by column name: GRDB's `Codable` row decoding (a keyed decoding
/// container per row, a lookup per key) and the JSON columns cost most of an uncached read.
/// The record holds the decoded profile and segmentation, so the customer a write stores is
/// returned without decoding it again.
struct CustomerRecord: Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "customers"

    var id: String
    var externalRef: String?
    var nameKey: String
    var valueTier: String
    var lifecycleStage: String
    var riskLevel: String?
    var branchID: String
    var relationshipManagerID: String
    var profile: CustomerProfile
    var segmentation: Segmentation
    var createdAt: Int64
    var updatedAt: Int64
    var etag: String

    /// The column names, as in the schema.
    enum Columns {
        static let id = Column("id")
        static let externalRef = Column("external_ref")
        static let nameKey = Column("name_key")
        static let valueTier = Column("value_tier")
        static let lifecycleStage = Column("lifecycle_stage")
        static let riskLevel = Column("risk_level")
        static let branchID = Column("branch_id")
        static let relationshipManagerID = Column("relationship_manager_id")
        static let profile = Column("profile")
        static let segmentation = Column("segmentation")
        static let createdAt = Column("created_at")
        static let updatedAt = Column("updated_at")
        static let etag = Column("etag")
    }

    /// The row for a customer (with the etag it is stored under).
    init(_ customer: Customer) throws {
        id = customer.id
        // An empty reference means "none" (as in proto3), so it takes no part in uniqueness.
        externalRef = customer.externalRef.flatMap { $0.isEmpty ? nil : $0 }
        nameKey = NameKey.key(for: customer.profile.fullName)
        valueTier = customer.segmentation.valueTier.rawValue
        lifecycleStage = customer.segmentation.lifecycleStage.rawValue
        riskLevel = customer.profile.riskLevel?.rawValue
        branchID = customer.profile.branchID
        relationshipManagerID = customer.profile.relationshipManagerID
        profile = customer.profile
        segmentation = customer.segmentation
        createdAt = try StoredTime.millis(customer.createdAt)
        updatedAt = try StoredTime.millis(customer.updatedAt)
        etag = customer.etag
    }

    /// Decodes a row selected with at least the table's columns (`SELECT *`, or with more, such
    /// as `rowid AS row_id, *`). A value of the wrong type, or a profile or segmentation that
    /// cannot be decoded, throws (the store reports it as `.corrupt`).
    init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id.name)
        externalRef = try row.decode(forColumn: Columns.externalRef.name)
        nameKey = try row.decode(forColumn: Columns.nameKey.name)
        valueTier = try row.decode(forColumn: Columns.valueTier.name)
        lifecycleStage = try row.decode(forColumn: Columns.lifecycleStage.name)
        riskLevel = try row.decode(forColumn: Columns.riskLevel.name)
        branchID = try row.decode(forColumn: Columns.branchID.name)
        relationshipManagerID = try row.decode(forColumn: Columns.relationshipManagerID.name)
        profile = try CustomerColumns.decodeProfile(row, column: Columns.profile.name, id: id)
        segmentation = try CustomerColumns.decodeSegmentation(row, column: Columns.segmentation.name, id: id)
        createdAt = try row.decode(forColumn: Columns.createdAt.name)
        updatedAt = try row.decode(forColumn: Columns.updatedAt.name)
        etag = try row.decode(forColumn: Columns.etag.name)
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.externalRef] = externalRef
        container[Columns.nameKey] = nameKey
        container[Columns.valueTier] = valueTier
        container[Columns.lifecycleStage] = lifecycleStage
        container[Columns.riskLevel] = riskLevel
        container[Columns.branchID] = branchID
        container[Columns.relationshipManagerID] = relationshipManagerID
        container[Columns.profile] = try CustomerColumns.encode(profile)
        container[Columns.segmentation] = try CustomerColumns.encode(segmentation)
        container[Columns.createdAt] = createdAt
        container[Columns.updatedAt] = updatedAt
        container[Columns.etag] = etag
    }

    /// The customer this row stores.
    func customer() -> Customer {
        Customer(
            id: id,
            externalRef: externalRef,
            profile: profile,
            segmentation: segmentation,
            createdAt: StoredTime.date(createdAt),
            updatedAt: StoredTime.date(updatedAt),
            etag: etag)
    }
}
