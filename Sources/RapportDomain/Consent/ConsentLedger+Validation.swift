import Foundation

extension ConsentLedger {
    /// Most decisions one SetConsent request may carry: a form covers 5 channels × 3 purposes
    /// = 15, so 50 leaves room for back-filling history without allowing unbounded requests.
    public static let maxDecisionsPerRequest = 50
    /// How far in the future `decided_at` may lie: allows for clock skew between the caller and
    /// the daemon, but not for a decision that would silently override later ones.
    public static let allowedClockSkew: TimeInterval = 5 * 60

    /// The first problem with a SetConsent request's decisions, or nil when they can be recorded.
    /// Rules: 1–50 decisions; per decision (field "decisions[i]…"): `decided_at` at most 5 minutes
    /// after `now`; `source_detail` at most 128 characters without control characters;
    /// `recorded_by` required (not blank), at most 128 characters, without control characters
    /// (it ends up in audit trails, where a line break could forge an entry).
    public static func validate(_ decisions: [ConsentDecision], now: Date) -> ValidationFailure? {
        if decisions.isEmpty {
            return ValidationFailure(field: "decisions", reason: "must contain at least one consent decision")
        }
        if decisions.count > maxDecisionsPerRequest {
            return ValidationFailure(
                field: "decisions",
                reason: "must contain at most \(maxDecisionsPerRequest) decisions per request (got \(decisions.count))")
        }
        for (index, decision) in decisions.enumerated() {
            if let failure = check(decision, field: "decisions[\(index)]", now: now) { return failure }
        }
        return nil
    }

    private static func check(_ decision: ConsentDecision, field: String, now: Date) -> ValidationFailure? {
        if decision.decidedAt.timeIntervalSince(now) > allowedClockSkew {
            return ValidationFailure(field: "\(field).decided_at", reason: "must not be more than 5 minutes in the future")
        }
        if let reason = label(decision.sourceDetail) {
            return ValidationFailure(field: "\(field).source_detail", reason: reason)
        }
        if decision.recordedBy.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return ValidationFailure(field: "\(field).recorded_by", reason: "is required: the staff member or system user who recorded the decision")
        }
        if let reason = label(decision.recordedBy) {
            return ValidationFailure(field: "\(field).recorded_by", reason: reason)
        }
        if let actingFor = decision.actingFor, let reason = label(actingFor) {
            return ValidationFailure(field: "\(field).acting_for", reason: reason)
        }
        return nil
    }

    /// A reason when `text` is over 128 characters or holds a control character.
    private static func label(_ text: String) -> String? {
        if let reason = TextRule.maxLength(text, 128) { return reason }
        if text.unicodeScalars.contains(where: TextRule.isControl) { return "must not contain control characters" }
        return nil
    }
}
