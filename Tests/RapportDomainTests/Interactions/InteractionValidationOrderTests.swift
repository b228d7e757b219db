import Foundation
import RapportDomain
import Testing

@Suite("Interactions: the first failure in wire order")
struct InteractionValidationOrderTests {
    @Test("Fields are checked in interaction.proto order")
    func order() {
        var interaction = validInteraction(.followUp)
        interaction.customerID = ""
        interaction.occurredAt = noon.addingTimeInterval(3600)
        interaction.employeeID = repeated("e", 65)
        interaction.productCode = "bad"
        interaction.summary = "\u{1B}"
        interaction.survey = SurveyResponse(npsScore: 11, reason: "")
        interaction.complaint = ComplaintDetails(category: .other, severity: .low)
        interaction.followUpOf = nil
        let fixed = validInteraction(.followUp)
        // Fix the reported field each time: the next failure must be the next field in order.
        let expected: [(String, (inout Interaction) -> Void)] = [
            ("customer_id", { $0.customerID = fixed.customerID }),
            ("occurred_at", { $0.occurredAt = fixed.occurredAt }),
            ("employee_id", { $0.employeeID = fixed.employeeID }),
            ("product_code", { $0.productCode = fixed.productCode }),
            ("summary", { $0.summary = fixed.summary }),
            ("survey", { $0.survey = nil }),
            ("complaint", { $0.complaint = nil }),
            ("follow_up_of", { $0.followUpOf = fixed.followUpOf }),
        ]
        for (field, fix) in expected {
            #expect(validationFailure(interaction)?.field == "interaction.\(field)")
            fix(&interaction)
        }
        #expect(validationFailure(interaction) == nil)
    }

    @Test("Within survey, presence comes before the score and the score before the reason")
    func surveyOrder() {
        var interaction = validInteraction(.surveyResponse)
        interaction.survey = SurveyResponse(npsScore: -1, reason: "\u{0}")
        #expect(validationFailure(interaction)?.field == "interaction.survey.nps_score")
        interaction.survey?.npsScore = 3
        #expect(validationFailure(interaction)?.field == "interaction.survey.reason")
        interaction.kind = .note
        #expect(validationFailure(interaction)?.field == "interaction.survey")
    }
}
