import Foundation
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf
import Testing

@Suite("RecommendationService: RecordOfferOutcome and GetOfferReport")
struct OfferOutcomeTests {
    @Test func anAcceptanceAddsTheHoldingOnceAndTheProductIsNoLongerOffered() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let service = harness.client.recommendations
            let accepted = try await service.recordOfferOutcome(
                RecommendationWorld.outcome(id, "SAVINGS", .accepted, reasons: ["COHOLDING"], requestID: "offer-1"))
            #expect(accepted.holdingAdded)
            #expect(accepted.interaction.kind == .offerAccepted && accepted.interaction.productCode == "SAVINGS")
            let customer = try await harness.client.customers.getCustomer(.with { $0.id = id })
            let savings = customer.profile.products.first { $0.productCode == "SAVINGS" }
            #expect(savings?.openedOn == RecommendationWorld.date(2026, 6, 15))
            let replay = try await service.recordOfferOutcome(
                RecommendationWorld.outcome(id, "SAVINGS", .accepted, reasons: ["COHOLDING"], requestID: "offer-1"))
            #expect(replay.interaction.id == accepted.interaction.id)
            let again = try await harness.client.customers.getCustomer(.with { $0.id = id })
            #expect(again.profile.products.filter { $0.productCode == "SAVINGS" }.count == 1)
            let answer = try await service.getRecommendations(RecommendationWorld.request(id))
            #expect(!answer.recommendations.map(\.productCode).contains("SAVINGS"))
            let history = try await harness.history(of: id)
            #expect(history.filter { $0.kind == .offerAccepted }.count == 1)
        }
    }

    @Test func aDeclineStartsTheCooldown() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let service = harness.client.recommendations
            let declined = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "SAVINGS", .declined))
            #expect(!declined.holdingAdded && declined.interaction.kind == .offerDeclined)
            let now = try await service.getRecommendations(RecommendationWorld.request(id))
            #expect(!now.recommendations.map(\.productCode).contains("SAVINGS"))
            harness.clock.advance(by: 30 * 86_400)  // SAVINGS's cooldown is 30 days
            let later = try await service.getRecommendations(RecommendationWorld.request(id))
            #expect(later.recommendations.map(\.productCode).contains("SAVINGS"))
        }
    }

    @Test func theReportCountsOutcomesPerProductAndReason() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let service = harness.client.recommendations
            _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "SAVINGS", .presented, reasons: ["COHOLDING", "NEXT_STEP"]))
            _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "SAVINGS", .accepted, reasons: ["COHOLDING", "NEXT_STEP"]))
            _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "MORTGAGE", .presented, reasons: ["COHOLDING"]))
            _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "MORTGAGE", .ignored, reasons: ["COHOLDING"]))
            _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "CREDIT_CARD", .declined))
            let report = try await service.getOfferReport(.init())
            #expect(report.byProduct.map(\.key) == ["CREDIT_CARD", "MORTGAGE", "SAVINGS"])
            let savings = report.byProduct[2]
            #expect(savings.presented == 1 && savings.accepted == 1 && savings.acceptanceRate == 1)
            let mortgage = report.byProduct[1]
            #expect(mortgage.presented == 1 && mortgage.ignored == 1 && mortgage.acceptanceRate == 0)
            let coholding = try #require(report.byReason.first { $0.key == "COHOLDING" })
            #expect(coholding.presented == 2 && coholding.accepted == 1 && coholding.ignored == 1 && coholding.acceptanceRate == 0.5)
            #expect(report.total.presented == 2 && report.total.accepted == 1 && report.total.declined == 1 && report.total.ignored == 1)
            let tomorrow = try await service.getOfferReport(.with { $0.fromDay = RecommendationWorld.date(2026, 6, 16) })
            #expect(tomorrow.byProduct.isEmpty && tomorrow.total.presented == 0)
        }
    }

    @Test func badOutcomesAreRefused() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let service = harness.client.recommendations
            let invalid: [(String, Rapport_V1_RecordOfferOutcomeRequest)] = [
                ("customer_id", RecommendationWorld.outcome("", "SAVINGS", .accepted)),
                ("product_code", RecommendationWorld.outcome(id, "", .accepted)),
                ("product_code", RecommendationWorld.outcome(id, "savings", .accepted)),
                ("outcome", RecommendationWorld.outcome(id, "SAVINGS", .unspecified)),
                ("channel", RecommendationWorld.outcome(id, "SAVINGS", .accepted, channel: .unspecified)),
                ("reason_codes[1]", RecommendationWorld.outcome(id, "SAVINGS", .accepted, reasons: ["COHOLDING", "not a code"])),
                ("reason_codes", RecommendationWorld.outcome(id, "SAVINGS", .accepted, reasons: (0..<17).map { "R\($0)" })),
                ("request_id", RecommendationWorld.outcome(id, "SAVINGS", .accepted, requestID: "has space")),
                ("occurred_at", Self.future(RecommendationWorld.outcome(id, "SAVINGS", .accepted), harness.clock.offset(days: 1))),
            ]
            for (field, request) in invalid {
                let error = await rpcError { _ = try await service.recordOfferOutcome(request) }
                expectInvalidArgument(error, naming: field)
            }
            let unknownCustomer = await rpcError {
                _ = try await service.recordOfferOutcome(RecommendationWorld.outcome("cus_missing", "SAVINGS", .accepted))
            }
            #expect(unknownCustomer?.code == .notFound)
            let unknownProduct = await rpcError {
                _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "NO_SUCH_PRODUCT", .accepted))
            }
            #expect(unknownProduct?.code == .notFound)
            let noConsent = await rpcError { _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "SAVINGS", .presented, channel: .sms)) }
            #expect(noConsent?.code == .failedPrecondition)
            // The customer's answer is recorded whatever the channel's marketing consent.
            _ = try await service.recordOfferOutcome(RecommendationWorld.outcome(id, "SAVINGS", .declined, channel: .sms))
            let empty = Self.report(from: (2026, 6, 15), before: (2026, 6, 15))
            let emptyRange = await rpcError { _ = try await service.getOfferReport(empty) }
            expectInvalidArgument(emptyRange, naming: "before_day")
            let badDay = Self.report(from: (2026, 13, 1), before: nil)
            let badFrom = await rpcError { _ = try await service.getOfferReport(badDay) }
            expectInvalidArgument(badFrom, naming: "from_day")
        }
    }

    /// `request` dated `when`.
    private static func future(_ request: Rapport_V1_RecordOfferOutcomeRequest, _ when: Date) -> Rapport_V1_RecordOfferOutcomeRequest {
        var request = request
        request.occurredAt = InteractionFixtures.timestamp(when)
        return request
    }

    /// A report request over `from ..< before`.
    private static func report(from: (Int32, Int32, Int32), before: (Int32, Int32, Int32)?) -> Rapport_V1_GetOfferReportRequest {
        .with {
            $0.fromDay = RecommendationWorld.date(from.0, from.1, from.2)
            if let before { $0.beforeDay = RecommendationWorld.date(before.0, before.1, before.2) }
        }
    }
}
