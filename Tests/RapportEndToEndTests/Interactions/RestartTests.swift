import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("The interaction log across restarts")
struct RestartTests {
    @Test func theLogRequestIdsAndDueTimesSurviveARestartAndTheSLAIsFixedWhenLogged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = TestClock()
        let sent = try await InteractionHarness.run(followUpSLASeconds: 3_600, dataDirectory: directory, clock: clock) { world in
            let customer = try await world.customer()
            return try await world.log(InteractionFixtures.interaction(customer.id, .complaint, at: world.clock.now), requestID: "before-restart")
        }
        clock.advance(by: 7_200)
        try await InteractionHarness.run(followUpSLASeconds: 86_400, dataDirectory: directory, clock: clock) { world in
            #expect(try await world.history(of: sent.customerID) == [sent])
            // A retry after the restart still replays.
            var retry = sent
            retry.id = ""
            retry.clearRecordedAt()
            #expect(try await world.log(retry, requestID: "before-restart") == sent)
            // Due an hour after it happened, as the SLA said when it was logged, so overdue now.
            let item = try #require(try await world.followUps().first)
            #expect(item.dueAt == InteractionFixtures.timestamp(sent.occurredAt.date.addingTimeInterval(3_600)))
            #expect(item.overdue)
            // New items take the new SLA.
            let later = try await world.log(InteractionFixtures.interaction(sent.customerID, .complaint, at: world.clock.now))
            #expect(try await world.followUps().last?.dueAt == InteractionFixtures.timestamp(later.occurredAt.date.addingTimeInterval(86_400)))
        }
    }
}
