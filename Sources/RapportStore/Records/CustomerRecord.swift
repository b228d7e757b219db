import Crypto
import Foundation
import GRDB
import RapportDomain

/// A row of `customers`: the profile and segmentation (see `CustomerColumns` for their format),
/// plus the columns lists filter on.
///
/// Personal data is sealed with the customer's data key (see `Keyring`, `FieldCipher`): the
/// profile (name, contact details, national id, date of birth, address, holdings) and the
/// external reference. What stays in the clear is ids, segments and times; `external_ref` holds
/// the reference's blind index (so uniqueness and lookups still use an index) and `name_key` a
/// blind index of the name's first letters (`NameBuckets`).
///
/// Read and written by hand, by column name: GRDB's `Codable` row decoding (a keyed decoding
/// container per row, a lookup per key) and the JSON columns cost most of an uncached read.
/// The record holds the decoded profile and segmentation, so the customer a write stores is
/// returned without decoding it again.
struct CustomerRecord: Sendable, PersistableRecord {
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
    /// What is written to `external_ref`: the reference's blind index.
    var externalRefIndex: String?
    /// What is written to `external_ref_sealed` and `profile`.
    var sealedExternalRef: Data?
    var sealedProfile: Data

    /// The column names, as in the schema.
    enum Columns {
        static let id = Column("id")
        static let externalRef = Column("external_ref")
        static let externalRefSealed = Column("external_ref_sealed")
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

    /// The row for a customer (with the etag it is stored under), sealed with their data key,
    /// which is made in `db`'s transaction when they have none yet.
    init(_ customer: Customer, _ db: Database) throws {
        id = customer.id
        // An empty reference means "none" (as in proto3), so it takes no part in uniqueness.
        externalRef = customer.externalRef.flatMap { $0.isEmpty ? nil : $0 }
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
        let keyring = try Keyring.of(db)
        let customerID = customer.id
        let reference = customer.externalRef.flatMap { $0.isEmpty ? nil : $0 }
        let key = try keyring.dataKeyCreating(for: customerID, now: try StoredTime.millis(customer.createdAt))
        nameKey = NameBuckets.bucket(ofName: customer.profile.fullName, keyring)
        externalRefIndex = reference.map { keyring.blindIndex(BlindIndexNames.externalRef, $0) }
        sealedExternalRef = try reference.map {
            try FieldCipher.seal(Data($0.utf8), key: key, place: FieldCipher.place("customers", customerID, "external_ref"))
        }
        sealedProfile = try CustomerColumns.sealedProfile(customer.profile, id: customerID, key: key)
    }

    /// Decodes a row selected with at least the table's columns (`SELECT *`, or with more, such
    /// as `rowid AS row_id, *`), opening its sealed fields with the customer's data key. A value of
    /// the wrong type, or a profile or segmentation that cannot be opened or decoded, throws (the
    /// store reports it as `.corrupt`). Rows written before encryption are read as they are.
    init(row: Row, _ db: Database) throws {
        id = try row.decode(forColumn: Columns.id.name)
        nameKey = try row.decode(forColumn: Columns.nameKey.name)
        valueTier = try row.decode(forColumn: Columns.valueTier.name)
        lifecycleStage = try row.decode(forColumn: Columns.lifecycleStage.name)
        riskLevel = try row.decode(forColumn: Columns.riskLevel.name)
        branchID = try row.decode(forColumn: Columns.branchID.name)
        relationshipManagerID = try row.decode(forColumn: Columns.relationshipManagerID.name)
        segmentation = try CustomerColumns.decodeSegmentation(row, column: Columns.segmentation.name, id: id)
        createdAt = try row.decode(forColumn: Columns.createdAt.name)
        updatedAt = try row.decode(forColumn: Columns.updatedAt.name)
        etag = try row.decode(forColumn: Columns.etag.name)
        let storedProfile: Data? = row[Columns.profile.name]
        guard let storedProfile else { throw StoreError(.corrupt, "the stored profile of \(id) is missing") }
        let sealedRef: Data? = row.hasColumn(Columns.externalRefSealed.name) ? row[Columns.externalRefSealed.name] : nil
        let storedRef: String? = try row.decode(forColumn: Columns.externalRef.name)
        sealedProfile = storedProfile
        sealedExternalRef = sealedRef
        // Each column is read as it is stored: sealed, or as written before encryption (a file
        // being converted, or a row an older writer rewrote in part).
        var key: SymmetricKey?
        let customerID = id
        func dataKey() throws -> SymmetricKey {
            if let key { return key }
            let opened = try Keyring.of(db).requireDataKey(for: customerID)
            key = opened
            return opened
        }
        if FieldCipher.isSealed(storedProfile) {
            profile = try CustomerColumns.openProfile(storedProfile, id: customerID, key: try dataKey())
        } else {
            profile = try CustomerColumns.decodeProfile(row, column: Columns.profile.name, id: customerID)
        }
        if let sealedRef {
            externalRef = String(
                decoding: try FieldCipher.open(sealedRef, key: try dataKey(), place: FieldCipher.place("customers", customerID, "external_ref")),
                as: UTF8.self)
            externalRefIndex = storedRef
        } else if FieldCipher.isSealed(storedProfile) {
            // Sealed without a reference: `external_ref` is NULL.
            externalRef = nil
            externalRefIndex = nil
        } else {
            externalRef = storedRef
            externalRefIndex = nil
        }
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.externalRef] = externalRefIndex
        container[Columns.externalRefSealed] = sealedExternalRef
        container[Columns.nameKey] = nameKey
        container[Columns.valueTier] = valueTier
        container[Columns.lifecycleStage] = lifecycleStage
        container[Columns.riskLevel] = riskLevel
        container[Columns.branchID] = branchID
        container[Columns.relationshipManagerID] = relationshipManagerID
        container[Columns.profile] = sealedProfile
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

    /// The row with this id, or nil.
    static func fetchOne(_ db: Database, key id: String) throws -> CustomerRecord? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM customers WHERE id = ?"), arguments: [id], db)
    }

    /// The first row `statement` selects (with at least the table's columns), or nil.
    static func fetchOne(_ statement: Statement, arguments: StatementArguments, _ db: Database) throws -> CustomerRecord? {
        guard let row = try Row.fetchOne(statement, arguments: arguments) else { return nil }
        return try CustomerRecord(row: row, db)
    }

    /// Every row `statement` selects (with at least the table's columns).
    static func fetchAll(_ statement: Statement, arguments: StatementArguments, _ db: Database) throws -> [CustomerRecord] {
        var records: [CustomerRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            records.append(try CustomerRecord(row: row, db))
        }
        return records
    }
}

/// The names of the blind indexes, part of what each index hashes.
enum BlindIndexNames {
    static let externalRef = "external_ref"
    static let nameBucket = "name3"
}
