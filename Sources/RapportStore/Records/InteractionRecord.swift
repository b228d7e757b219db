import Foundation
import GRDB
import RapportDomain

/// A row of `interactions`, read and written column by column (no JSON, no Codable) because the
/// log is the store's hottest and largest table.
struct InteractionRecord: Sendable {
    /// The columns in the order `selection` lists them and `init(row:)` reads them.
    static let selection = """
        id, customer_id, channel, kind, occurred_at, recorded_at, employee_id, product_code, summary, \
        nps_score, survey_reason, complaint_category, complaint_severity, follow_up_of
        """

    /// The customer's branch and segments when a survey was answered, kept for NPS grouping.
    struct SegmentSnapshot: Sendable, Hashable {
        var valueTier: ValueTier
        var lifecycleStage: LifecycleStage
        var branchID: String
    }

    let interaction: Interaction

    init(_ interaction: Interaction) {
        self.interaction = interaction
    }

    /// Decodes a row selected with `selection`; an unreadable value means a corrupt database.
    init(row: Row, _ db: Database) throws {
        let id: String = row[0]
        let customerID: String = row[1]
        func decode<Value: RawRepresentable>(_ type: Value.Type, _ index: Int, _ column: String) throws -> Value
        where Value.RawValue == String {
            let raw: String = row[index]
            guard let value = Value(rawValue: raw) else {
                throw StoreError(.corrupt, "interaction \(id) has an unreadable \(column) '\(raw)'")
            }
            return value
        }
        let texts = try InteractionTexts(row: row, id: id, customerID: customerID, db)
        var survey: SurveyResponse?
        if let score: Int = row[9] {
            survey = SurveyResponse(npsScore: score, reason: texts.surveyReason ?? "")
        }
        var complaint: ComplaintDetails?
        if let category: String = row[11] {
            guard let category = ComplaintCategory(rawValue: category),
                let severity = ComplaintSeverity(rawValue: row[12] ?? "")
            else {
                throw StoreError(.corrupt, "interaction \(id) has an unreadable complaint category or severity")
            }
            complaint = ComplaintDetails(category: category, severity: severity)
        }
        interaction = Interaction(
            id: id,
            customerID: customerID,
            channel: try decode(Channel.self, 2, "channel"),
            kind: try decode(InteractionKind.self, 3, "kind"),
            occurredAt: StoredTime.date(row[4]),
            recordedAt: StoredTime.date(row[5]),
            employeeID: row[6],
            productCode: row[7],
            summary: texts.summary,
            survey: survey,
            complaint: complaint,
            followUpOf: row[13])
    }

    /// Inserts the row; `snapshot` is stored with survey responses only. Its texts are `sealed`
    /// when they were sealed earlier for this customer, and sealed here otherwise.
    func insert(_ db: Database, snapshot: SegmentSnapshot?, sealed presealed: InteractionTexts.Sealed? = nil) throws {
        let value = interaction
        let isSurvey = value.kind == .surveyResponse
        let sealed: InteractionTexts.Sealed
        if let presealed, presealed.customerID == value.customerID {
            sealed = presealed
        } else {
            sealed = try InteractionTexts.seal(value, key: try Keyring.of(db).requireDataKey(for: value.customerID))
        }
        // A cached statement: imports insert millions of rows, and compiling each would dominate.
        try db.cachedStatement(sql: Self.insertSQL).execute(
            arguments: [
                value.id, value.customerID, value.channel.rawValue, value.kind.rawValue,
                try StoredTime.millis(value.occurredAt), try StoredTime.millis(value.recordedAt),
                value.employeeID, value.productCode, sealed.summary,
                value.survey?.npsScore, sealed.surveyReason,
                value.complaint?.category.rawValue, value.complaint?.severity.rawValue,
                value.followUpOf,
                isSurvey ? snapshot?.valueTier.rawValue : nil,
                isSurvey ? snapshot?.lifecycleStage.rawValue : nil,
                isSurvey ? snapshot?.branchID : nil,
            ])
    }

    /// Inserts one interaction with the customer's segments (kept for survey responses only).
    static let insertSQL = """
        INSERT INTO interactions (\(selection), segment_value_tier, segment_lifecycle_stage, segment_branch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The interaction with this id, or nil.
    static func fetch(_ db: Database, id: String) throws -> Interaction? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(selection) FROM interactions WHERE id = ?"), arguments: [id])
        else { return nil }
        return try InteractionRecord(row: row, db).interaction
    }

    /// Every interaction an SQL statement selecting `selection` returns, in its order.
    ///
    /// The statement is cached per connection by its text: list queries come in a bounded number
    /// of shapes (filters present or not, list lengths up to the number of channels and kinds),
    /// and preparing one cost as much as reading a page.
    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Interaction] {
        var result: [Interaction] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            result.append(try InteractionRecord(row: row, db).interaction)
        }
        return result
    }
}
