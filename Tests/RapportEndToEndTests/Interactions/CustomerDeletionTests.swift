import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("DeleteCustomer and the interaction log")
struct CustomerDeletionTests {
    @Test func deletingACustomerRemovesTheirInteractionsFollowUpsAndRequestIds() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let bob = try await world.customer(name: "Bob Marley")
            let now = world.clock.now
            _ = try await world.log(InteractionFixtures.interaction(ada.id, .complaint, at: now), requestID: "shared-1")
            _ = try await world.log(InteractionFixtures.survey(ada.id, score: 2, at: now))
            let kept = try await world.log(InteractionFixtures.interaction(bob.id, .complaint, at: now))
            #expect(try await world.followUps().count == 3)

            _ = try await world.client.customers.deleteCustomer(.with { $0.id = ada.id })
            #expect(try await world.export() == [kept])
            #expect(try await world.followUps().map(\.interaction) == [kept])
            let list = await rpcError { _ = try await world.history(of: ada.id) }
            #expect(list?.code == .notFound)
            let overview = await rpcError { _ = try await world.client.customers.getCustomerOverview(.with { $0.id = ada.id }) }
            #expect(overview?.code == .notFound)
            // The request id went with the interaction: it records anew instead of replaying Ada's.
            let reused = try await world.log(InteractionFixtures.interaction(bob.id, .inquiry, at: now), requestID: "shared-1")
            #expect(reused.customerID == bob.id)
            #expect(reused.kind == .inquiry)
            #expect(try await world.history(of: bob.id).count == 2)
        }
    }

    /// Erasure keeps the customer's survey responses as anonymised facts: whole days and the
    /// partial days at a report's edges count them as before.
    @Test func npsCountsStayAfterErasure() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let day = world.clock.startOfDay(-3)
            _ = try await world.logBatch([
                InteractionFixtures.survey(ada.id, score: 10, at: day.addingTimeInterval(6 * 3_600)),
                InteractionFixtures.survey(ada.id, score: 0, at: day.addingTimeInterval(30 * 3_600)),
            ])
            // Day 0 is whole in the range; day 1 is cut at noon.
            let from = day
            let before = day.addingTimeInterval(36 * 3_600)
            let ahead = try await NpsReportTests.report(world, from: from, before: before)
            NpsReportTests.expect(ahead.overall, responses: 2, promoters: 1, passives: 0, detractors: 1, nps: 0)
            _ = try await world.client.customers.deleteCustomer(.with { $0.id = ada.id })
            let after = try await NpsReportTests.report(world, from: from, before: before)
            NpsReportTests.expect(after.overall, responses: 2, promoters: 1, passives: 0, detractors: 1, nps: 0)
        }
    }
}
