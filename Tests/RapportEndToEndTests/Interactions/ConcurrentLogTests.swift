import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("InteractionService: concurrent logging")
struct ConcurrentLogTests {
    /// Many calls at once are committed together (group commit); every count derived from the
    /// log must still add up.
    @Test func concurrentLogsAllLandAndEveryDerivedCountAddsUp() async throws {
        try await InteractionHarness.run { world in
            let customers = [try await world.customer(), try await world.customer(name: "Bob Marley")]
            let calls = 64
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<calls {
                    let customer = customers[index % 2].id
                    let at = world.clock.offset(minutes: -Double(index))
                    // Each customer: complaints and detractor responses (scores 0 to 6), half and half.
                    let interaction = index % 4 < 2
                        ? InteractionFixtures.interaction(customer, .complaint, at: at)
                        : InteractionFixtures.survey(customer, score: Int32(index % 7), at: at)
                    group.addTask { try await world.log(interaction).id }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(ids).count == calls)
            #expect(try await world.export().map(\.id) == ids.sorted())
            #expect(try await world.followUps().count == calls)
            let report = try await NpsReportTests.report(world, from: world.clock.offset(days: -1), before: world.clock.offset(minutes: 1))
            #expect(report.overall.responses == Int64(calls / 2))
            #expect(report.overall.detractors == report.overall.responses)
            for customer in customers {
                let overview = try await world.client.customers.getCustomerOverview(.with { $0.id = customer.id })
                #expect(overview.activity.contactsLast90Days == Int32(calls / 2))
                #expect(overview.activity.complaintsLast90Days == Int32(calls / 4))
            }
        }
    }
}
