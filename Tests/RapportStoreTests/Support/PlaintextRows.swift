import Foundation
import GRDB
import RapportDomain
@testable import RapportStore

/// Rows as stores before encryption (migration v13) wrote them, for tests that build a file at an
/// earlier schema: profiles, references, names and texts in the clear.
enum PlaintextRows {
    static func insert(_ customer: Customer, etag: String? = nil, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO customers (id, external_ref, name_key, value_tier, lifecycle_stage, risk_level,
                    branch_id, relationship_manager_id, profile, segmentation, created_at, updated_at, etag)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                customer.id, customer.externalRef.flatMap { $0.isEmpty ? nil : $0 }, NameKey.key(for: customer.profile.fullName),
                customer.segmentation.valueTier.rawValue, customer.segmentation.lifecycleStage.rawValue,
                customer.profile.riskLevel?.rawValue, customer.profile.branchID, customer.profile.relationshipManagerID,
                try CustomerColumns.encode(customer.profile), try CustomerColumns.encode(customer.segmentation),
                try StoredTime.millis(customer.createdAt), try StoredTime.millis(customer.updatedAt), etag ?? customer.etag,
            ])
    }

    static func insert(_ value: Interaction, snapshot: InteractionRecord.SegmentSnapshot?, _ db: Database) throws {
        let isSurvey = value.kind == .surveyResponse
        try db.execute(
            sql: InteractionRecord.insertSQL,
            arguments: [
                value.id, value.customerID, value.channel.rawValue, value.kind.rawValue,
                try StoredTime.millis(value.occurredAt), try StoredTime.millis(value.recordedAt),
                value.employeeID, value.productCode, value.summary,
                value.survey?.npsScore, value.survey?.reason,
                value.complaint?.category.rawValue, value.complaint?.severity.rawValue,
                value.followUpOf,
                isSurvey ? snapshot?.valueTier.rawValue : nil,
                isSurvey ? snapshot?.lifecycleStage.rawValue : nil,
                isSurvey ? snapshot?.branchID : nil,
            ])
    }
}
