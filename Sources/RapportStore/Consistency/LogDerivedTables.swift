import Foundation
import RapportDomain

/// The tables derived from the interaction log, each recomputed in SQL exactly as the writer
/// derives it (`DerivedIncrements`, `OfferIncrements`, `InteractionRows`): the kinds, score
/// ranges and outcomes come from the domain's own rules, so the SQL cannot drift from them.
enum LogDerivedTables {
    /// The UTC day of a millisecond column, as `UTCDay.number(millis:)`: the floor of the
    /// division (SQLite's truncates toward zero, which differs before 1970).
    static func utcDay(_ column: String) -> String {
        "((\(column) - CASE WHEN \(column) < 0 THEN 86399999 ELSE 0 END) / 86400000)"
    }

    /// `'a', 'b'` for an SQL `IN` list of kinds (raw values are plain identifiers, no quotes).
    private static func list(_ kinds: [InteractionKind]) -> String {
        kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }

    /// The kinds `Interaction.countsAsActivity` counts (it depends on the kind alone).
    static var activityKinds: [InteractionKind] {
        InteractionKind.allCases.filter { kind in
            Interaction(id: "", customerID: "", channel: .branch, kind: kind, occurredAt: Date(), recordedAt: Date())
                .countsAsActivity
        }
    }

    /// The scores of an NPS category, as `NpsCategory(score:)` assigns them.
    static func scores(_ category: NpsCategory) -> String {
        (0...10).filter { NpsCategory(score: $0) == category }.map(String.init).joined(separator: ", ")
    }

    /// `customer_activity`: per customer and UTC day, the interactions that count as activity
    /// and the complaints among them. Erasure deletes both sides (cascade), so it is exact.
    static let activity = DerivedTableComparison(
        name: "activity daily counts (customer_activity)",
        keys: ["customer_id", "day"], values: ["contacts", "complaints"],
        stored: "SELECT customer_id, day, contacts, complaints FROM customer_activity",
        expected: """
            SELECT customer_id, \(utcDay("occurred_at")) AS day, COUNT(*) AS contacts,
                   SUM(kind = '\(InteractionKind.complaint.rawValue)') AS complaints
            FROM interactions WHERE kind IN (\(list(activityKinds)))
            GROUP BY customer_id, day
            """)

    /// `nps_daily`: survey responses with a 0–10 score per UTC day, channel and the segments
    /// stored with the response, from the log and from erased customers' anonymised responses
    /// (`erased_survey_responses`), which erasure keeps for exactly this.
    static let nps = DerivedTableComparison(
        name: "nps daily counts (nps_daily)",
        keys: ["day", "channel", "branch_id", "value_tier", "lifecycle_stage"],
        values: ["promoters", "passives", "detractors"],
        stored: """
            SELECT day, channel, branch_id, value_tier, lifecycle_stage, promoters, passives, detractors FROM nps_daily
            """,
        expected: """
            SELECT day, channel, branch_id, value_tier, lifecycle_stage,
                   SUM(nps_score IN (\(scores(.promoter)))) AS promoters,
                   SUM(nps_score IN (\(scores(.passive)))) AS passives,
                   SUM(nps_score IN (\(scores(.detractor)))) AS detractors
            FROM (
                SELECT \(utcDay("occurred_at")) AS day, channel, segment_branch_id AS branch_id,
                       segment_value_tier AS value_tier, segment_lifecycle_stage AS lifecycle_stage, nps_score
                FROM interactions
                WHERE kind = '\(InteractionKind.surveyResponse.rawValue)' AND nps_score BETWEEN 0 AND 10
                UNION ALL
                SELECT \(utcDay("occurred_at")), channel, segment_branch_id, segment_value_tier,
                       segment_lifecycle_stage, nps_score
                FROM erased_survey_responses WHERE nps_score BETWEEN 0 AND 10
            )
            GROUP BY day, channel, branch_id, value_tier, lifecycle_stage
            """,
        notes: "includes erased customers' anonymised responses; customers deleted before erasure records existed (schema v13) cannot be recounted")

    /// `open_follow_ups`: complaints and detractor responses that no logged interaction follows
    /// up (`follow_up_of`). The branch is compared for survey responses only, which store the
    /// branch at response; a complaint's item keeps the customer's branch when it was logged,
    /// which the log does not store. `due_at` is not compared: it adds the follow-up SLA of the
    /// daemon's configuration at logging time, which the store does not keep.
    static let openFollowUps = DerivedTableComparison(
        name: "open follow-ups (open_follow_ups)",
        keys: ["interaction_id"], values: ["customer_id", "reason", "branch_id"],
        stored: "SELECT interaction_id, customer_id, reason, branch_id FROM open_follow_ups",
        expected: """
            SELECT id AS interaction_id, customer_id,
                   CASE WHEN kind = '\(InteractionKind.complaint.rawValue)' THEN '\(FollowUpReason.complaint.rawValue)'
                        ELSE '\(FollowUpReason.detractor.rawValue)' END AS reason,
                   CASE WHEN kind = '\(InteractionKind.surveyResponse.rawValue)' THEN segment_branch_id END AS branch_id
            FROM interactions
            WHERE (kind = '\(InteractionKind.complaint.rawValue)'
                   OR (kind = '\(InteractionKind.surveyResponse.rawValue)' AND nps_score IN (\(scores(.detractor)))))
              AND id NOT IN (SELECT follow_up_of FROM interactions WHERE follow_up_of IS NOT NULL)
            """,
        notRecomputedWhenNull: ["branch_id"],
        notes: "due_at not compared (the follow-up SLA in force when logged is not stored); branch compared for survey responses only")
}
