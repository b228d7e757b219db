import Foundation
import RapportDomain
import Testing

@Suite("Interactions: validation of each field")
struct InteractionValidatorTests {
    @Test("A valid interaction of every kind is accepted", arguments: InteractionKind.allCases)
    func valid(_ kind: InteractionKind) {
        #expect(validationFailure(validInteraction(kind)) == nil)
    }

    @Test("customer_id is required")
    func customerID() {
        let failure = validationFailure { $0.customerID = "" }
        #expect(failure == ValidationFailure(field: "interaction.customer_id", reason: "is required: the id of the customer the contact was with"))
    }

    @Test("occurred_at may lie at most the allowed skew after now", arguments: [
        (0, true), (-34_560_000, true), (300, true), (300.001, false), (3600, false),
    ])
    func futureSkew(_ secondsAfterNow: TimeInterval, _ accepted: Bool) {
        let failure = validationFailure { $0.occurredAt = noon.addingTimeInterval(secondsAfterNow) }
        #expect(failure?.field == (accepted ? nil : "interaction.occurred_at"))
    }

    @Test("The future-skew message gives the limit, the time sent and the daemon's clock")
    func futureSkewMessage() {
        let failure = validationFailure { $0.occurredAt = noon.addingTimeInterval(301) }
        #expect(failure?.reason == "must not be more than 5 minutes in the future (got 2024-06-15T12:05:01Z, "
            + "the daemon's clock reads 2024-06-15T12:00:00Z); send when the contact happened, in UTC")
        var strict = InteractionPolicy.defaults
        strict.futureSkewSeconds = 0
        #expect(validationFailure(validInteraction(), now: noon.addingTimeInterval(-3600), policy: strict) == nil)
        #expect(validationFailure(validInteraction(), now: noon.addingTimeInterval(-3601), policy: strict)?.reason
            .hasPrefix("must not be more than 0 seconds in the future") == true)
        strict.futureSkewSeconds = 7200
        #expect(validationFailure(validInteraction(), now: noon.addingTimeInterval(-10_801), policy: strict)?.reason
            .hasPrefix("must not be more than 2 hours in the future") == true)
    }

    @Test("occurred_at must be in 1900 or later")
    func notBefore1900() {
        let midnight1900 = instant(day(1900, 1, 1))
        #expect(validationFailure { $0.occurredAt = midnight1900 } == nil)
        let failure = validationFailure { $0.occurredAt = midnight1900.addingTimeInterval(-1) }
        #expect(failure == ValidationFailure(
            field: "interaction.occurred_at",
            reason: "must be 1900-01-01T00:00:00Z or later (got 1899-12-31T23:59:59Z); send when the contact happened, in UTC"))
        #expect(validationFailure { $0.occurredAt = .distantPast }?.field == "interaction.occurred_at")
        #expect(validationFailure { $0.occurredAt = Date(timeIntervalSince1970: .nan) }?.field == "interaction.occurred_at")
    }

    @Test("employee_id is at most 64 printable characters", arguments: [
        (repeated("e", 64), nil), ("", nil), (repeated("e", 65), "must be at most 64 characters (got 65)"),
        ("staff\n7", "must contain only printable characters (no control or invisible characters)"),
        ("staff\u{200B}7", "must contain only printable characters (no control or invisible characters)"),
    ])
    func employeeID(_ id: String, _ reason: String?) {
        let failure = validationFailure { $0.employeeID = id }
        #expect(failure == reason.map { ValidationFailure(field: "interaction.employee_id", reason: $0) })
    }

    @Test("product_code, when set, is a product code", arguments: ["mortgage", "MORTGAGE-5Y", "MORTGAGE 5Y", repeated("A", 65)])
    func productCodeFormat(_ code: String) {
        let failure = validationFailure { $0.productCode = code }
        #expect(failure?.field == "interaction.product_code")
        #expect(failure?.reason.hasPrefix("must be 1 to 64 upper-case letters, digits or underscores") == true)
        #expect(validationFailure { $0.productCode = "ISA_2024" } == nil)
    }

    @Test("Offers need a product_code; other kinds may leave it empty", arguments: InteractionKind.allCases)
    func productCodeRequired(_ kind: InteractionKind) {
        let failure = validationFailure(kind) { $0.productCode = "" }
        if [.offerPresented, .offerAccepted, .offerDeclined, .offerIgnored].contains(kind) {
            #expect(failure?.field == "interaction.product_code")
            #expect(failure?.reason.hasPrefix("is required when kind is INTERACTION_KIND_OFFER_") == true)
        } else {
            #expect(failure == nil)
        }
    }

    @Test("summary is at most 2,000 characters, counted as characters rather than bytes")
    func summaryLength() {
        #expect(validationFailure { $0.summary = repeated("a", 2000) } == nil)
        // "e" + combining acute: two scalars, one character; the family emoji: seven scalars, one character.
        #expect(validationFailure { $0.summary = repeated("e\u{301}", 1000) + repeated("👨‍👩‍👧‍👦", 1000) } == nil)
        #expect(validationFailure { $0.summary = repeated("é", 2001) }
            == ValidationFailure(field: "interaction.summary", reason: "must be at most 2000 characters (got 2001)"))
        var policy = InteractionPolicy.defaults
        policy.maxSummaryLength = 10
        #expect(validationFailure(policy: policy) { $0.summary = repeated("a", 11) }?.field == "interaction.summary")
    }

    @Test("summary may hold line feeds and tabs but no other control character", arguments: ["\r\n", "\r", "\u{1B}[2J", "\u{0}", "\u{85}"])
    func summaryControls(_ control: String) {
        #expect(validationFailure { $0.summary = "line one\n\tline two" } == nil)
        #expect(validationFailure { $0.summary = "line one\(control)line two" } == ValidationFailure(
            field: "interaction.summary",
            reason: "must not contain control characters other than line feed and tab; send line breaks as \\n alone"))
    }

    @Test("A survey response needs survey; other kinds must not carry one", arguments: InteractionKind.allCases)
    func surveyPresence(_ kind: InteractionKind) {
        if kind == .surveyResponse {
            #expect(validationFailure(kind) { $0.survey = nil } == ValidationFailure(
                field: "interaction.survey",
                reason: "is required when kind is INTERACTION_KIND_SURVEY_RESPONSE: send the NPS score (0–10) and the customer's reason"))
        } else {
            let failure = validationFailure(kind) { $0.survey = SurveyResponse(npsScore: 5, reason: "") }
            #expect(failure == ValidationFailure(
                field: "interaction.survey",
                reason: "must not be set unless kind is INTERACTION_KIND_SURVEY_RESPONSE (kind is \(wireName(kind)))"))
        }
    }

    @Test("nps_score is 0–10", arguments: [(-1, false), (0, true), (6, true), (10, true), (11, false), (Int.max, false)])
    func npsScore(_ score: Int, _ accepted: Bool) {
        let failure = validationFailure(.surveyResponse) { $0.survey?.npsScore = score }
        #expect(failure == (accepted ? nil : ValidationFailure(
            field: "interaction.survey.nps_score", reason: "must be 0–10 (got \(score)): how likely the customer is to recommend the bank")))
    }

    @Test("The survey reason follows the free-text rules with its own limit")
    func surveyReason() {
        #expect(validationFailure(.surveyResponse) { $0.survey?.reason = repeated("r", 2000) } == nil)
        #expect(validationFailure(.surveyResponse) { $0.survey?.reason = repeated("r", 2001) }
            == ValidationFailure(field: "interaction.survey.reason", reason: "must be at most 2000 characters (got 2001)"))
        #expect(validationFailure(.surveyResponse) { $0.survey?.reason = "slow\u{7}" }?.field == "interaction.survey.reason")
        var policy = InteractionPolicy.defaults
        policy.maxSurveyReasonLength = 5
        #expect(validationFailure(.surveyResponse, policy: policy) { $0.survey?.reason = "too long" }?.field == "interaction.survey.reason")
    }

    @Test("A complaint needs complaint; other kinds must not carry one", arguments: InteractionKind.allCases)
    func complaintPresence(_ kind: InteractionKind) {
        if kind == .complaint {
            #expect(validationFailure(kind) { $0.complaint = nil } == ValidationFailure(
                field: "interaction.complaint",
                reason: "is required when kind is INTERACTION_KIND_COMPLAINT: send its category and severity"))
        } else {
            let failure = validationFailure(kind) { $0.complaint = ComplaintDetails(category: .other, severity: .low) }
            #expect(failure == ValidationFailure(
                field: "interaction.complaint",
                reason: "must not be set unless kind is INTERACTION_KIND_COMPLAINT (kind is \(wireName(kind)))"))
        }
    }

    @Test("A follow-up needs follow_up_of; other kinds must leave it empty", arguments: InteractionKind.allCases)
    func followUpOfPresence(_ kind: InteractionKind) {
        if kind == .followUp {
            let required = ValidationFailure(
                field: "interaction.follow_up_of",
                reason: "is required when kind is INTERACTION_KIND_FOLLOW_UP: send the id of the complaint or survey response it follows up")
            #expect(validationFailure(kind) { $0.followUpOf = nil } == required)
            #expect(validationFailure(kind) { $0.followUpOf = "" } == required)
        } else {
            #expect(validationFailure(kind) { $0.followUpOf = "" } == nil)
            #expect(validationFailure(kind) { $0.followUpOf = "int_0001" } == ValidationFailure(
                field: "interaction.follow_up_of",
                reason: "must not be set unless kind is INTERACTION_KIND_FOLLOW_UP (kind is \(wireName(kind)))"))
        }
    }

    @Test("A follow-up cannot follow itself up")
    func followUpOfSelf() {
        let failure = validationFailure(.followUp) { $0.followUpOf = $0.id }
        #expect(failure == ValidationFailure(
            field: "interaction.follow_up_of",
            reason: "must not be the interaction's own id: send the id of the complaint or survey response it follows up"))
        // Before the daemon assigns an id there is nothing to compare with.
        #expect(validationFailure(.followUp) { $0.id = "" } == nil)
    }

    @Test("Field paths start with the caller's prefix")
    func prefix() {
        var interaction = validInteraction(.surveyResponse)
        interaction.survey?.npsScore = 12
        #expect(validationFailure(interaction, prefix: "items[3].interaction")?.field == "items[3].interaction.survey.nps_score")
    }

    /// The proto name of `kind`, spelled out here so that the test checks the conversion.
    private func wireName(_ kind: InteractionKind) -> String {
        let names: [InteractionKind: String] = [
            .inquiry: "INQUIRY", .transaction: "TRANSACTION", .serviceRequest: "SERVICE_REQUEST", .complaint: "COMPLAINT",
            .followUp: "FOLLOW_UP", .surveyResponse: "SURVEY_RESPONSE", .offerPresented: "OFFER_PRESENTED",
            .offerAccepted: "OFFER_ACCEPTED", .offerDeclined: "OFFER_DECLINED", .marketingContact: "MARKETING_CONTACT", .note: "NOTE",
            .offerIgnored: "OFFER_IGNORED",
        ]
        return "INTERACTION_KIND_" + (names[kind] ?? "?")
    }
}
