import Foundation

/// Checks an interaction before it is logged and throws the first rule it breaks.
///
/// Fields are checked in interaction.proto order and the first failure wins, so a caller fixing
/// one field at a time always converges. Field paths are `prefix` + the wire name, e.g.
/// "interaction.survey.nps_score" or "items[3].interaction.summary". The rules, by field:
/// - `customer_id`: required.
/// - `occurred_at`: not before 1900-01-01T00:00:00Z and at most `futureSkewSeconds` after `now`
///   (exactly at the limit is accepted). A missing timestamp is the service's to refuse: the
///   model has no "unset" date.
/// - `employee_id`: at most 64 printable characters.
/// - `product_code`: when set, 1–64 of [A-Z0-9_]; required for the three offer kinds.
/// - `summary`: at most `maxSummaryLength` characters; no control characters but line feed and tab.
/// - `survey`: required for survey responses, refused for every other kind; `nps_score` 0–10;
///   `reason` as `summary`, at most `maxSurveyReasonLength` characters.
/// - `complaint`: required for complaints, refused for every other kind.
/// - `follow_up_of`: required for follow-ups, refused for every other kind; never the
///   interaction's own id. Whether it names an interaction of the same customer is the store's
///   question.
///
/// Enumerations are typed here; unknown or unspecified wire values are refused where the wire
/// message is mapped.
public enum InteractionValidator {
    /// Throws the first rule `interaction` breaks.
    /// - Parameters:
    ///   - now: the daemon's current time, passed in so that validation never reads a clock.
    ///   - prefix: the interaction's path in the request, e.g. "interaction" or "items[3].interaction".
    public static func validate(
        _ interaction: Interaction, now: Date, policy: InteractionPolicy, field prefix: String = "interaction"
    ) throws(ValidationFailure) {
        try InteractionChecks(interaction: interaction, now: now, policy: policy, prefix: prefix).run()
    }
}
