import Foundation
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf
import Testing

@Suite("RecommendationService: GetRecommendations")
struct GetRecommendationsTests {
    @Test func ranksWhatHoldersOfTheCustomersProductsHoldAndSaysWhy() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let answer = try await harness.client.recommendations.getRecommendations(RecommendationWorld.request(id))
            let codes = answer.recommendations.map(\.productCode)
            #expect(codes.first == "SAVINGS")
            #expect(Set(codes) == ["SAVINGS", "CREDIT_CARD", "MORTGAGE"])  // held and too-old-for products left out
            let first = try #require(answer.recommendations.first)
            #expect(first.kind == .crossSell && first.title == "Easy saver" && first.category == .deposit)
            // All three holders opened savings after their current account: it is their next step.
            #expect(first.reasons.map(\.code) == ["NEXT_STEP", "COHOLDING"])
            #expect(first.reasons.map(\.sentence) == [
                "taken next by 75% of customers who hold Current account", "held by 75% of customers who hold Current account",
            ])
            #expect(answer.personalised && answer.notices.isEmpty)
            #expect(answer.asOf == RecommendationWorld.date(2026, 6, 15))
            #expect(answer.recommendations.allSatisfy { !$0.reasons.isEmpty })
        }
    }

    @Test func aCatalogChangeShowsInTheNextAnswer() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let service = harness.client.recommendations
            #expect(try await service.getRecommendations(RecommendationWorld.request(id)).recommendations.map(\.productCode).contains("SAVINGS"))
            _ = try await service.retireProduct(.with { $0.code = "SAVINGS" })
            #expect(!(try await service.getRecommendations(RecommendationWorld.request(id)).recommendations.map(\.productCode).contains("SAVINGS")))
            _ = try await service.upsertProduct(.with { $0.product = RecommendationWorld.product("TRAVEL_INSURANCE", "Travel insurance", .insurance) })
            #expect(try await service.getRecommendations(RecommendationWorld.request(id)).recommendations.map(\.productCode).contains("TRAVEL_INSURANCE"))
        }
    }

    @Test func anInquiryLiftsTheProductAskedAbout() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            var inquiry = InteractionFixtures.interaction(id, .inquiry, channel: .branch, at: harness.clock.offset(days: -3))
            inquiry.productCode = "MORTGAGE"
            _ = try await harness.log(inquiry)
            let answer = try await harness.client.recommendations.getRecommendations(RecommendationWorld.request(id))
            let first = try #require(answer.recommendations.first)
            #expect(first.productCode == "MORTGAGE")
            #expect(first.reasons.contains { $0.code == "RECENT_INTEREST" && $0.sentence == "asked about Fixed-rate mortgage at a branch on 12 Jun 2026" })
            // As of the day before the inquiry, it was not there yet.
            let before = RecommendationWorld.request(id, asOf: (2026, 6, 11))
            let earlier = try await harness.client.recommendations.getRecommendations(before)
            #expect(earlier.recommendations.first?.productCode == "SAVINGS")
        }
    }

    @Test func anOpenComplaintGetsAFollowUpActionNotSalesUntilItIsAnswered() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let complaint = try await harness.log(InteractionFixtures.interaction(id, .complaint, at: harness.clock.offset(hours: -2)))
            let answer = try await harness.client.recommendations.getRecommendations(RecommendationWorld.request(id))
            #expect(answer.recommendations.count == 1)
            let action = try #require(answer.recommendations.first)
            #expect(action.kind == .service && action.action == "COMPLAINT_FOLLOW_UP" && action.followUpOf == complaint.id)
            #expect(action.dueTime == InteractionFixtures.timestamp(harness.clock.offset(hours: 22)))
            #expect(answer.notices.map(\.code) == ["OPEN_COMPLAINT"])
            _ = try await harness.log(InteractionFixtures.followUp(id, of: complaint.id, at: harness.clock.offset(hours: -1)))
            let after = try await harness.client.recommendations.getRecommendations(RecommendationWorld.request(id))
            #expect(after.recommendations.first?.productCode == "SAVINGS")
        }
    }

    @Test func noMarketingConsentOnTheChannelMeansNoOffers() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let answer = try await harness.client.recommendations.getRecommendations(RecommendationWorld.request(id, channel: .sms))
            #expect(answer.recommendations.isEmpty)
            #expect(answer.notices.map(\.code) == ["NO_MARKETING_CONSENT"])
            #expect(answer.notices.first?.sentence.contains("SetConsent") == true)
        }
    }

    @Test func aRefusalOfProfilingGivesNonPersonalisedOffers() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            try await harness.setConsent(id, .email, purpose: .profiling, granted: false)
            let answer = try await harness.client.recommendations.getRecommendations(RecommendationWorld.request(id))
            #expect(!answer.personalised)
            #expect(answer.notices.map(\.code) == ["NOT_PERSONALISED_NO_PROFILING_CONSENT"])
            let codes = Set(answer.recommendations.flatMap(\.reasons).map(\.code))
            #expect(codes.isSubset(of: ["POPULAR", "OFTEN_ACCEPTED", "BUSINESS_PRIORITY"]))
        }
    }

    @Test func badRequestsAreRefusedNamingTheField() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let service = harness.client.recommendations
            let cases: [(String, Rapport_V1_GetRecommendationsRequest)] = [
                ("customer_id", RecommendationWorld.request("")),
                ("max_results", RecommendationWorld.request(id, max: 0)),
                ("max_results", RecommendationWorld.request(id, max: 51)),
                ("channel", RecommendationWorld.request(id, channel: .unspecified)),
                ("channel", RecommendationWorld.request(id, channel: .UNRECOGNIZED(99))),
                ("category", RecommendationWorld.request(id, category: .UNRECOGNIZED(42))),
                ("as_of", RecommendationWorld.request(id, asOf: (2026, 6, 16))),
                ("as_of", RecommendationWorld.request(id, asOf: (2026, 2, 30))),
            ]
            for (field, request) in cases {
                let error = await rpcError { _ = try await service.getRecommendations(request) }
                expectInvalidArgument(error, naming: field)
            }
            let unknown = await rpcError { _ = try await service.getRecommendations(RecommendationWorld.request("cus_missing")) }
            #expect(unknown?.code == .notFound)
            #expect(try await service.getRecommendations(RecommendationWorld.request(id, max: 1)).recommendations.count == 1)
            #expect(try await service.getRecommendations(RecommendationWorld.request(id, max: 50)).recommendations.count == 3)
        }
    }
}
