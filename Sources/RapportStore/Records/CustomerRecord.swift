import GRDB
import RapportDomain

/// A row of `customers`: the profile and segmentation as JSON, plus the columns lists filter on.
struct CustomerRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "customers"

    var id: String
    var externalRef: String?
    var nameKey: String
    var valueTier: String
    var lifecycleStage: String
    var riskLevel: String?
    var branchID: String
    var relationshipManagerID: String
    var profile: String
    var segmentation: String
    var createdAt: Int64
    var updatedAt: Int64
    var etag: String

    enum CodingKeys: String, CodingKey {
        case id
        case externalRef = "external_ref"
        case nameKey = "name_key"
        case valueTier = "value_tier"
        case lifecycleStage = "lifecycle_stage"
        case riskLevel = "risk_level"
        case branchID = "branch_id"
        case relationshipManagerID = "relationship_manager_id"
        case profile, segmentation
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case etag
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let externalRef = Column(CodingKeys.externalRef)
        static let etag = Column(CodingKeys.etag)
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
        profile = try JSONColumn.encode(customer.profile, column: "profile")
        segmentation = try JSONColumn.encode(customer.segmentation, column: "segmentation")
        createdAt = try StoredTime.millis(customer.createdAt)
        updatedAt = try StoredTime.millis(customer.updatedAt)
        etag = customer.etag
    }

    /// The customer this row stores.
    func customer() throws -> Customer {
        Customer(
            id: id,
            externalRef: externalRef,
            profile: try JSONColumn.decode(CustomerProfile.self, from: profile, column: "profile", id: id),
            segmentation: try JSONColumn.decode(Segmentation.self, from: segmentation, column: "segmentation", id: id),
            createdAt: StoredTime.date(createdAt),
            updatedAt: StoredTime.date(updatedAt),
            etag: etag)
    }
}
