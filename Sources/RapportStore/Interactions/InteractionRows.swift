import Foundation
import GRDB
import RapportDomain

/// Writes one interaction as it is, with its rows in the follow-up queue; shared by logging
/// (after its checks) and importing (which has none).
enum InteractionRows {
    /// Inserts the interaction (with the customer's segments when it is a survey response), opens
    /// its follow-up item when it needs one, closes the item it follows up, and counts it into
    /// `increments` for the daily tables (an offer outcome under its product and each of `offerReasons`).
    /// - Parameter customer: the customer's branch and segments as they are now.
    static func insert(
        _ db: Database, _ interaction: Interaction, customer: InteractionRecord.SegmentSnapshot,
        followUpSLA: TimeInterval, offerReasons: [String] = [], sealed: InteractionTexts.Sealed? = nil,
        into increments: inout DerivedIncrements
    ) throws {
        try InteractionRecord(interaction).insert(db, snapshot: customer, sealed: sealed)
        if let reason = interaction.followUpReason {
            let dueAt = FollowUpSchedule(sla: followUpSLA).dueAt(occurredAt: interaction.occurredAt)
            try db.cachedStatement(sql: """
                INSERT INTO open_follow_ups (interaction_id, customer_id, branch_id, reason, due_at) VALUES (?, ?, ?, ?, ?)
                """)
                .execute(arguments: [
                    interaction.id, interaction.customerID, customer.branchID, reason.rawValue, try StoredTime.millis(dueAt),
                ])
        }
        if let answered = interaction.followUpOf {
            try db.cachedStatement(sql: "DELETE FROM open_follow_ups WHERE interaction_id = ?").execute(arguments: [answered])
        }
        try increments.add(interaction, snapshot: customer, offerReasons: offerReasons)
    }
}
