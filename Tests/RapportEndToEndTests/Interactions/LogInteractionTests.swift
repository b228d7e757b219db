import Foundation
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf
import Testing

@Suite("InteractionService: LogInteraction")
struct LogInteractionTests {
    @Test func recordedInteractionKeepsEveryFieldAndGetsAnIdAndRecordedAt() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            var sent = InteractionFixtures.interaction(customer.id, .complaint, channel: .callCentre, at: world.clock.offset(hours: -2))
            sent.productCode = "CREDIT_CARD_GOLD"
            sent.summary = "charged twice for the annual fee\nrefund promised"
            let recorded = try await world.log(sent)
            #expect(recorded.id.hasPrefix("int_"))
            #expect(recorded.id.count == 30)
            var expected = sent
            expected.id = recorded.id
            expected.recordedAt = InteractionFixtures.timestamp(world.clock.now)
            #expect(recorded == expected)
            #expect(try await world.history(of: customer.id) == [recorded])
        }
    }

    @Test func unknownCustomerIsNotFound() async throws {
        try await InteractionHarness.run { world in
            let error = await rpcError { _ = try await world.log(InteractionFixtures.interaction("cus_missing", at: world.clock.now)) }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains("cus_missing") == true, "\(String(describing: error))")
            // The message is checked before the store: a malformed request for a missing customer is INVALID_ARGUMENT.
            let malformed = await rpcError {
                _ = try await world.log(InteractionFixtures.survey("cus_missing", score: 11, at: world.clock.now))
            }
            expectInvalidArgument(malformed, naming: "interaction.survey.nps_score")
        }
    }

    @Test func everyInvalidFieldIsRefusedNamingItAndNothingIsRecorded() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            for (field, request) in Self.invalidRequests(customer: customer.id, now: world.clock.now) {
                let error = await rpcError { _ = try await world.interactions.logInteraction(request) }
                expectInvalidArgument(error, naming: field)
            }
            #expect(try await world.history(of: customer.id).isEmpty)
        }
    }

    @Test func valuesAtTheLimitsAreAccepted() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            let now = world.clock.now
            var atSkew = InteractionFixtures.interaction(customer.id, at: now.addingTimeInterval(300))
            atSkew.employeeID = String(repeating: "e", count: 64)
            atSkew.summary = String(repeating: "s", count: 2000)
            let oldest = InteractionFixtures.interaction(customer.id, at: Date(timeIntervalSince1970: -2_208_988_800))
            // 2,000 characters, each two scalars and eight bytes: the limit counts what a reader sees.
            let thumbs = InteractionFixtures.interaction(customer.id, at: now, summary: String(repeating: "👍🏽", count: 2000))
            let accepted = [
                atSkew, oldest, thumbs,
                InteractionFixtures.survey(customer.id, score: 0, at: now),
                InteractionFixtures.survey(customer.id, score: 10, at: now),
            ]
            for interaction in accepted {
                _ = try await world.log(interaction)
            }
            #expect(try await world.history(of: customer.id).count == accepted.count)
        }
    }

    @Test func aFollowUpMustAnswerAnInteractionOfTheSameCustomer() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let bob = try await world.customer(name: "Bob Marley")
            let now = world.clock.now
            let adaComplaint = try await world.log(InteractionFixtures.interaction(ada.id, .complaint, at: now))
            let bobComplaint = try await world.log(InteractionFixtures.interaction(bob.id, .complaint, at: now))
            let missingID = "int_00000000000000000000000000"
            let toNothing = await rpcError { _ = try await world.log(InteractionFixtures.followUp(ada.id, of: missingID, at: now)) }
            expectInvalidArgument(toNothing, naming: "interaction.follow_up_of")
            let toBob = await rpcError { _ = try await world.log(InteractionFixtures.followUp(ada.id, of: bobComplaint.id, at: now)) }
            expectInvalidArgument(toBob, naming: "interaction.follow_up_of")
            // The same words either way, so the refusal never confirms that another customer's id exists.
            #expect(toBob?.message.replacingOccurrences(of: bobComplaint.id, with: "ID")
                == toNothing?.message.replacingOccurrences(of: missingID, with: "ID"))
            let answered = try await world.log(InteractionFixtures.followUp(ada.id, of: adaComplaint.id, at: now))
            #expect(answered.followUpOf == adaComplaint.id)
            #expect(try await world.history(of: ada.id).count == 2)
            #expect(try await world.history(of: bob.id).count == 1)
        }
    }

    /// Requests refused with INVALID_ARGUMENT, each with the field path its message must start with.
    static func invalidRequests(customer: String, now: Date) -> [(String, Rapport_V1_LogInteractionRequest)] {
        func spoiled(_ kind: Rapport_V1_InteractionKind = .inquiry, _ spoil: (inout Rapport_V1_Interaction) -> Void)
            -> Rapport_V1_LogInteractionRequest
        {
            var interaction = InteractionFixtures.interaction(customer, kind, at: now.addingTimeInterval(-60))
            spoil(&interaction)
            return InteractionFixtures.request(interaction)
        }
        let valid = InteractionFixtures.interaction(customer, at: now)
        return [
            ("interaction", Rapport_V1_LogInteractionRequest()),
            ("interaction.id", spoiled { $0.id = "int_01JZ0000000000000000000000" }),
            ("interaction.recorded_at", spoiled { $0.recordedAt = InteractionFixtures.timestamp(now) }),
            ("interaction.customer_id", spoiled { $0.customerID = "" }),
            ("interaction.channel", spoiled { $0.channel = .unspecified }),
            ("interaction.channel", spoiled { $0.channel = .UNRECOGNIZED(99) }),
            ("interaction.kind", spoiled { $0.kind = .unspecified }),
            ("interaction.kind", spoiled { $0.kind = .UNRECOGNIZED(42) }),
            ("interaction.occurred_at", spoiled { $0.clearOccurredAt() }),
            ("interaction.occurred_at", spoiled { $0.occurredAt = InteractionFixtures.timestamp(now.addingTimeInterval(301)) }),
            ("interaction.occurred_at", spoiled { $0.occurredAt = Google_Protobuf_Timestamp(seconds: -2_208_988_801) }),
            ("interaction.occurred_at", spoiled { $0.occurredAt.nanos = 1_000_000_000 }),
            ("interaction.employee_id", spoiled { $0.employeeID = String(repeating: "e", count: 65) }),
            ("interaction.product_code", spoiled(.offerAccepted) { $0.productCode = "" }),
            ("interaction.product_code", spoiled { $0.productCode = "mortgage" }),
            ("interaction.summary", spoiled { $0.summary = String(repeating: "s", count: 2001) }),
            ("interaction.summary", spoiled { $0.summary = "bell \u{7}" }),
            ("interaction.survey", spoiled(.surveyResponse) { $0.clearSurvey() }),
            ("interaction.survey", spoiled { $0.survey = .with { $0.npsScore = 5 } }),
            ("interaction.survey.nps_score", spoiled(.surveyResponse) { $0.survey.npsScore = 11 }),
            ("interaction.survey.nps_score", spoiled(.surveyResponse) { $0.survey.npsScore = -1 }),
            ("interaction.survey.reason", spoiled(.surveyResponse) { $0.survey.reason = String(repeating: "r", count: 2001) }),
            ("interaction.complaint", spoiled(.complaint) { $0.clearComplaint() }),
            ("interaction.complaint", spoiled(.note) { $0.complaint = .with { $0.category = .other; $0.severity = .low } }),
            ("interaction.complaint.category", spoiled(.complaint) { $0.complaint.category = .unspecified }),
            ("interaction.complaint.severity", spoiled(.complaint) { $0.complaint.severity = .unspecified }),
            ("interaction.follow_up_of", spoiled(.followUp) { _ in }),
            ("interaction.follow_up_of", spoiled { $0.followUpOf = "int_01JZ0000000000000000000000" }),
            ("request_id", InteractionFixtures.request(valid, requestID: "has space")),
            ("request_id", InteractionFixtures.request(valid, requestID: String(repeating: "r", count: 129))),
        ]
    }
}
