import Foundation
import GRDB
import RapportDomain

/// A row of `consent_decisions`: one decision, numbered per customer in the order recorded.
struct ConsentRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "consent_decisions"

    var customerID: String
    var seq: Int64
    var channel: String
    var purpose: String
    var granted: Bool
    var decidedAt: Int64
    var source: String
    var sourceDetail: String
    var recordedBy: String
    var recordedAt: Int64

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case seq, channel, purpose, granted
        case decidedAt = "decided_at"
        case source
        case sourceDetail = "source_detail"
        case recordedBy = "recorded_by"
        case recordedAt = "recorded_at"
    }

    enum Columns {
        static let customerID = Column(CodingKeys.customerID)
        static let seq = Column(CodingKeys.seq)
    }

    init(customerID: String, seq: Int64, decision: ConsentDecision, recordedAt: Int64) throws {
        self.customerID = customerID
        self.seq = seq
        channel = decision.channel.rawValue
        purpose = decision.purpose.rawValue
        granted = decision.granted
        decidedAt = try StoredTime.millis(decision.decidedAt)
        source = decision.source.rawValue
        sourceDetail = decision.sourceDetail
        recordedBy = decision.recordedBy
        self.recordedAt = recordedAt
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
            source: source, sourceDetail: sourceDetail, recordedBy: recordedBy)
    }

    /// The customer's decisions, oldest first.
    static func history(_ db: Database, customerID: String) throws -> [ConsentDecision] {
        try ConsentRecord
            .filter(Columns.customerID == customerID)
            .order(Columns.seq)
            .fetchAll(db)
            .map { try $0.decision() }
    }
}
