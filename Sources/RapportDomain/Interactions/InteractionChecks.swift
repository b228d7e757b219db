import Foundation

/// The rules of `InteractionValidator`, one method per wire field, run in wire order.
struct InteractionChecks {
    let interaction: Interaction
    let now: Date
    let policy: InteractionPolicy
    let prefix: String

    /// 1900-01-01T00:00:00Z: earlier dates are typos or unset timestamps, not contacts.
    static let earliestOccurredAt: Date = {
        let days = CalendarDate(year: 1900, month: 1, day: 1).days(since: CalendarDate(year: 1970, month: 1, day: 1))
        return Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
    }()

    /// The longest employee or agent id, as for other identifiers the daemon keeps.
    static let employeeIDLimit = 64

    /// What to send in `occurred_at`, after either of its failures.
    static let occurredAtHint = "send when the contact happened, in UTC"
    /// What to send in `follow_up_of`.
    static let followUpOfHint = "the id of the complaint or survey response it follows up"

    /// The kinds that concern a product and so must name it.
    static let productKinds: Set<InteractionKind> = [.offerPresented, .offerAccepted, .offerDeclined, .offerIgnored]

    func run() throws(ValidationFailure) {
        try customerID()
        try occurredAt()
        try employeeID()
        try productCode()
        try freeText(interaction.summary, limit: policy.maxSummaryLength, field: "summary")
        try survey()
        try only(for: .complaint, isSet: interaction.complaint != nil, field: "complaint", content: "its category and severity")
        try followUpOf()
    }

    func customerID() throws(ValidationFailure) {
        if interaction.customerID.isEmpty {
            throw failure("customer_id", "is required: the id of the customer the contact was with")
        }
    }

    func occurredAt() throws(ValidationFailure) {
        let occurredAt = interaction.occurredAt
        // A NaN instant compares as neither before nor after anything, so it is refused by name.
        if occurredAt < Self.earliestOccurredAt || occurredAt.timeIntervalSince1970.isNaN {
            throw failure(
                "occurred_at", "must be 1900-01-01T00:00:00Z or later (got \(Self.text(occurredAt))); \(Self.occurredAtHint)")
        }
        if occurredAt.timeIntervalSince(now) > policy.futureSkew {
            throw failure(
                "occurred_at",
                "must not be more than \(Self.duration(policy.futureSkewSeconds)) in the future (got \(Self.text(occurredAt)), "
                    + "the daemon's clock reads \(Self.text(now))); \(Self.occurredAtHint)")
        }
    }

    func employeeID() throws(ValidationFailure) {
        if let reason = TextRule.printable(interaction.employeeID, max: Self.employeeIDLimit) {
            throw failure("employee_id", reason)
        }
    }

    func productCode() throws(ValidationFailure) {
        let code = interaction.productCode
        if code.isEmpty {
            if Self.productKinds.contains(interaction.kind) {
                throw failure(
                    "product_code",
                    "is required when kind is \(interaction.kind.wireName): the code of the product offered, such as MORTGAGE_FIXED_5Y")
            }
            return
        }
        if !ProductChecks.isProductCode(code) {
            throw failure(
                "product_code",
                "must be 1 to 64 upper-case letters, digits or underscores such as MORTGAGE_FIXED_5Y, or empty when no product is concerned")
        }
    }

    func survey() throws(ValidationFailure) {
        try only(
            for: .surveyResponse, isSet: interaction.survey != nil, field: "survey",
            content: "the NPS score (0–10) and the customer's reason")
        guard let survey = interaction.survey else { return }
        if survey.category == nil {
            throw failure("survey.nps_score", "must be 0–10 (got \(survey.npsScore)): how likely the customer is to recommend the bank")
        }
        try freeText(survey.reason, limit: policy.maxSurveyReasonLength, field: "survey.reason")
    }

    func followUpOf() throws(ValidationFailure) {
        let target = interaction.followUpOf ?? ""
        try only(for: .followUp, isSet: !target.isEmpty, field: "follow_up_of", content: Self.followUpOfHint)
        if !target.isEmpty && target == interaction.id {
            throw failure("follow_up_of", "must not be the interaction's own id: send \(Self.followUpOfHint)")
        }
    }

    /// Requires a kind-specific field for `kind` and refuses it for every other kind, so that a
    /// survey score or complaint never hides on an interaction nothing reads it from.
    func only(for kind: InteractionKind, isSet: Bool, field: String, content: String) throws(ValidationFailure) {
        if interaction.kind == kind && !isSet {
            throw failure(field, "is required when kind is \(kind.wireName): send \(content)")
        }
        if interaction.kind != kind && isSet {
            throw failure(field, "must not be set unless kind is \(kind.wireName) (kind is \(interaction.kind.wireName))")
        }
    }

    /// Free text: bounded, and without control characters other than line feed and tab, which
    /// multi-line notes need; anything else (carriage returns, escapes) garbles the screens
    /// and exports that show it.
    func freeText(_ text: String, limit: Int, field: String) throws(ValidationFailure) {
        if let reason = TextRule.maxLength(text, limit) { throw failure(field, reason) }
        if text.unicodeScalars.contains(where: { TextRule.isControl($0) && $0 != "\n" && $0 != "\t" }) {
            throw failure(field, "must not contain control characters other than line feed and tab; send line breaks as \\n alone")
        }
    }

    private func failure(_ field: String, _ reason: String) -> ValidationFailure {
        ValidationFailure(field: "\(prefix).\(field)", reason: reason)
    }

    /// An instant as the caller would write it, e.g. "2024-06-15T09:30:00Z".
    static func text(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// "5 minutes", "90 seconds", "2 hours": the largest whole unit.
    static func duration(_ seconds: Int) -> String {
        if seconds > 0 && seconds % 3600 == 0 { return ReasonText.count(seconds / 3600, "hour") }
        if seconds > 0 && seconds % 60 == 0 { return ReasonText.count(seconds / 60, "minute") }
        return ReasonText.count(seconds, "second")
    }
}
