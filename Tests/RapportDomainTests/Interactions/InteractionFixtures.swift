import Foundation
import RapportDomain

/// The daemon's clock in interaction tests: 2024-06-15T12:00:00Z, noon of the fixed `today`.
let noon = instant(today).addingTimeInterval(12 * 3600)

/// An interaction of `kind` with every field acceptable, including the ones its kind requires,
/// which each test then breaks in one place.
func validInteraction(_ kind: InteractionKind = .inquiry, channel: Channel = .branch) -> Interaction {
    var interaction = Interaction(
        id: "int_0002", customerID: "cus_0001", channel: channel, kind: kind,
        occurredAt: noon.addingTimeInterval(-3600), recordedAt: noon,
        employeeID: "staff-7", summary: "Asked about\tsavings rates.\nFollow up next week.")
    switch kind {
    case .surveyResponse: interaction.survey = SurveyResponse(npsScore: 9, reason: "Quick and friendly")
    case .complaint: interaction.complaint = ComplaintDetails(category: .waitingTime, severity: .medium)
    case .followUp: interaction.followUpOf = "int_0001"
    case .offerPresented, .offerAccepted, .offerDeclined, .offerIgnored: interaction.productCode = "MORTGAGE_FIXED_5Y"
    default: break
    }
    return interaction
}

/// The validator's answer for `interaction`: the failure it throws, or nil when it accepts it.
func validationFailure(
    _ interaction: Interaction, now: Date = noon, policy: InteractionPolicy = .defaults, prefix: String = "interaction"
) -> ValidationFailure? {
    do throws(ValidationFailure) {
        try InteractionValidator.validate(interaction, now: now, policy: policy, field: prefix)
        return nil
    } catch {
        return error
    }
}

/// The validator's answer for a valid interaction of `kind` changed by `change`.
func validationFailure(
    _ kind: InteractionKind = .inquiry, policy: InteractionPolicy = .defaults, _ change: (inout Interaction) -> Void
) -> ValidationFailure? {
    var interaction = validInteraction(kind)
    change(&interaction)
    return validationFailure(interaction, policy: policy)
}
