import Foundation
import GRDB
import RapportDomain

/// A row of `consent_decisions`: one decision, numbered per customer in the order recorded.
///
/// Read and written by hand (GRDB's `Codable` row coding costs more than the lookup); read by
/// position from `selection`, since consent is read on every recommendation, every marketing
/// interaction logged and every GetConsent, and a lookup by column name hashes the name.
struct ConsentRecord: Sendable, PersistableRecord {
    static let databaseTableName = "consent_decisions"

    var customerID: String
    var seq: Int64
    var channel: String
    var purpose: String
    var granted: Bool
    var decidedAt: Int64
    var source: String
    var sourceDetail: String
    /// What `source_detail` holds: the detail sealed with the customer's data key.
    var sealedSourceDetail: Data
    var recordedBy: String
    var recordedAt: Int64
    /// The staff member the recording principal acted for, when it named one.
    var actingFor: String?

    enum Columns {
        static let customerID = Column("customer_id")
        static let seq = Column("seq")
        static let channel = Column("channel")
        static let purpose = Column("purpose")
        static let granted = Column("granted")
        static let decidedAt = Column("decided_at")
        static let source = Column("source")
        static let sourceDetail = Column("source_detail")
        static let recordedBy = Column("recorded_by")
        static let recordedAt = Column("recorded_at")
        static let actingFor = Column("acting_for")
    }

    /// The columns in the order `init(row:)` reads them.
    static let selection = """
        customer_id, seq, channel, purpose, granted, decided_at, source, source_detail, recorded_by, recorded_at, acting_for
        """

    /// Reads a row selected with `selection`.
    init(row: Row, _ db: Database) throws {
        customerID = try row.decode(atIndex: 0)
        seq = try row.decode(atIndex: 1)
        let storedDetail: DatabaseValue = row[7]
        channel = try row.decode(atIndex: 2)
        purpose = try row.decode(atIndex: 3)
        granted = try row.decode(atIndex: 4)
        decidedAt = try row.decode(atIndex: 5)
        source = try row.decode(atIndex: 6)
        if case .blob(let sealed) = storedDetail.storage {
            let key = try Keyring.of(db).requireDataKey(for: customerID)
            sourceDetail = String(decoding: try FieldCipher.open(sealed, key: key, place: Self.place(customerID, seq)), as: UTF8.self)
            sealedSourceDetail = sealed
        } else {
            // Written before encryption.
            sourceDetail = try row.decode(atIndex: 7)
            sealedSourceDetail = Data()
        }
        recordedBy = try row.decode(atIndex: 8)
        recordedAt = try row.decode(atIndex: 9)
        actingFor = try row.decode(atIndex: 10)
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.customerID] = customerID
        container[Columns.seq] = seq
        container[Columns.channel] = channel
        container[Columns.purpose] = purpose
        container[Columns.granted] = granted
        container[Columns.decidedAt] = decidedAt
        container[Columns.source] = source
        container[Columns.sourceDetail] = sealedSourceDetail
        container[Columns.recordedBy] = recordedBy
        container[Columns.recordedAt] = recordedAt
        container[Columns.actingFor] = actingFor
    }

    init(customerID: String, seq: Int64, decision: ConsentDecision, recordedAt: Int64, _ db: Database) throws {
        self.customerID = customerID
        self.seq = seq
        channel = decision.channel.rawValue
        purpose = decision.purpose.rawValue
        granted = decision.granted
        decidedAt = try StoredTime.millis(decision.decidedAt)
        source = decision.source.rawValue
        sourceDetail = decision.sourceDetail
        let key = try Keyring.of(db).requireDataKey(for: customerID)
        sealedSourceDetail = try FieldCipher.seal(Data(decision.sourceDetail.utf8), key: key, place: Self.place(customerID, seq))
        recordedBy = decision.recordedBy
        self.recordedAt = recordedAt
        actingFor = decision.actingFor
    }

    /// The decision this row stores.
    func decision() throws -> ConsentDecision {
        guard let channel = ConsentChannel(rawValue: channel), let purpose = ConsentPurpose(rawValue: purpose),
            let source = ConsentSource(rawValue: source)
        else {
            throw StoreError(.corrupt, "consent decision \(seq) of \(customerID) has an unknown channel, purpose or source")
        }
        return ConsentDecision(
            channel: channel, purpose: purpose, granted: granted, decidedAt: StoredTime.date(decidedAt),
            source: source, sourceDetail: sourceDetail, recordedBy: recordedBy, actingFor: actingFor)
    }

    /// The customer's decisions, oldest first.
    static func history(_ db: Database, customerID: String) throws -> [ConsentDecision] {
        var decisions: [ConsentDecision] = []
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT \(selection) FROM consent_decisions WHERE customer_id = ? ORDER BY seq"),
            arguments: [customerID])
        while let row = try rows.next() {
            decisions.append(try ConsentRecord(row: row, db).decision())
        }
        return decisions
    }

    /// The associated data of a decision's sealed detail.
    static func place(_ customerID: String, _ seq: Int64) -> Data {
        FieldCipher.place("consent_decisions", "\(customerID)/\(seq)", "source_detail")
    }
}
