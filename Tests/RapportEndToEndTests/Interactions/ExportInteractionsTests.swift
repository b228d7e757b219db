import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("InteractionService: ExportInteractions")
struct ExportInteractionsTests {
    @Test func streamsEveryCustomersInteractionsInRecordingOrderWithFilters() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let bob = try await world.customer(name: "Bob Marley")
            var recorded: [Rapport_V1_Interaction] = []
            // Logged newest first, so recording order and occurred_at order disagree.
            let plan: [(Rapport_V1_Customer, Rapport_V1_Channel)] = [(ada, .email), (bob, .branch), (ada, .branch), (bob, .email)]
            for (index, (customer, channel)) in plan.enumerated() {
                let at = world.clock.offset(days: -Double(index))
                recorded.append(try await world.log(InteractionFixtures.interaction(customer.id, channel: channel, at: at)))
            }
            let complaint = try await world.log(InteractionFixtures.interaction(bob.id, .complaint, channel: .email, at: world.clock.now))
            let ids = recorded.map(\.id) + [complaint.id]
            #expect(ids == ids.sorted())
            #expect(try await world.export() == recorded + [complaint])
            #expect(try await world.export(.with { $0.channels = [.email] }).map(\.id) == [ids[0], ids[3], ids[4]])
            #expect(try await world.export(.with { $0.kinds = [.complaint] }).map(\.id) == [complaint.id])
            let range = try await world.export(.with {
                $0.occurredFrom = InteractionFixtures.timestamp(world.clock.offset(days: -2))
                $0.occurredBefore = InteractionFixtures.timestamp(world.clock.now)
            })
            #expect(range.map(\.id) == [ids[1], ids[2]])
        }
    }

    @Test func resumesAfterTheLastIdReceivedAcrossChunkBoundaries() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            // More than two of the daemon's 500-row chunks.
            var ids: [String] = []
            for batch in 0..<3 {
                ids += try await world.logBatch((0..<417).map { index in
                    InteractionFixtures.interaction(ada.id, at: world.clock.offset(seconds: -Double(batch * 417 + index)))
                }).map(\.id)
            }
            let all = try await world.export()
            #expect(all.map(\.id) == ids)
            for cut in [0, 499, 500, 999, ids.count - 2] {
                let resumed = try await world.export(.with { $0.afterID = ids[cut] })
                #expect(resumed.map(\.id) == Array(ids[(cut + 1)...]), "after item \(cut)")
            }
            #expect(try await world.export(.with { $0.afterID = ids[ids.count - 1] }).isEmpty)
            // Resuming combines with the filters.
            let filtered = try await world.export(.with {
                $0.afterID = ids[1000]
                $0.occurredBefore = InteractionFixtures.timestamp(world.clock.offset(seconds: -1240))
            })
            #expect(filtered.map(\.id) == Array(ids[1241...]))
        }
    }

    @Test func badRequestsEndTheStreamWithInvalidArgument() async throws {
        try await InteractionHarness.run { world in
            let longAfter = await rpcError { _ = try await world.export(.with { $0.afterID = String(repeating: "x", count: 257) }) }
            #expect(longAfter?.code == .invalidArgument)
            let channel = await rpcError { _ = try await world.export(.with { $0.channels = [.UNRECOGNIZED(99)] }) }
            expectInvalidArgument(channel, naming: "channels[0]")
            let backwards = await rpcError { _ = try await world.export(.with {
                $0.occurredFrom = InteractionFixtures.timestamp(world.clock.now)
                $0.occurredBefore = InteractionFixtures.timestamp(world.clock.offset(days: -1))
            }) }
            #expect(backwards?.code == .invalidArgument)
            let exported = try await world.export()
            #expect(exported.isEmpty)
        }
    }
}
