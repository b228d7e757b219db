import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("InteractionService: LogInteractions batches")
struct LogInteractionsBatchTests {
    @Test func aBatchIsRecordedInItemOrder() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let bob = try await world.customer(name: "Bob Marley")
            let now = world.clock.now
            let sent = [
                InteractionFixtures.interaction(ada.id, .inquiry, at: now.addingTimeInterval(-30)),
                InteractionFixtures.survey(bob.id, score: 3, at: now.addingTimeInterval(-20)),
                InteractionFixtures.interaction(ada.id, .complaint, channel: .chat, at: now.addingTimeInterval(-10)),
            ]
            let recorded = try await world.logBatch(sent)
            #expect(recorded.count == 3)
            for (got, want) in zip(recorded, sent) {
                var expected = want
                expected.id = got.id
                expected.recordedAt = InteractionFixtures.timestamp(now)
                #expect(got == expected)
            }
            // Ids follow recording order, which is item order.
            #expect(recorded.map(\.id) == recorded.map(\.id).sorted())
            #expect(Set(recorded.map(\.id)).count == 3)
            #expect(try await world.export().map(\.id) == recorded.map(\.id))
        }
    }

    @Test func oneItemTheStoreRefusesRecordsNothingAndTheTrailerListsEveryFailure() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let now = world.clock.now
            let batch = InteractionFixtures.batch([
                InteractionFixtures.interaction(ada.id, at: now),
                InteractionFixtures.interaction("cus_missing", at: now),
                InteractionFixtures.interaction(ada.id, .complaint, at: now),
                InteractionFixtures.followUp(ada.id, of: "int_00000000000000000000000000", at: now),
                InteractionFixtures.interaction(ada.id, .marketingContact, channel: .sms, at: now),
            ])
            let error = await rpcError { _ = try await world.interactions.logInteractions(batch) }
            // The status is the first failing item's (lowest index).
            #expect(error?.code == .notFound)
            #expect(error?.message.hasPrefix("3 of 5 items failed; nothing was recorded; first: items[1]") == true,
                    "\(String(describing: error))")
            let items = try #require(try error?.batchErrors())
            #expect(items.map(\.index) == [1, 3, 4])
            #expect(items.map(\.code) == [StatusCode.notFound, .invalidArgument, .failedPrecondition].map(\.rawValue))
            #expect(items[1].message.hasPrefix("items[3].interaction.follow_up_of:"), "\(items[1].message)")
            #expect(items[0].message.contains("cus_missing"))
            // All or nothing: not even the valid items 0 and 2.
            #expect(try await world.history(of: ada.id).isEmpty)
            #expect(try await world.export().isEmpty)
            #expect(try await world.followUps().isEmpty)
        }
    }

    @Test func malformedItemsAreAllReportedBeforeTheStoreIsAsked() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let now = world.clock.now
            var noChannel = InteractionFixtures.interaction(ada.id, at: now)
            noChannel.channel = .unspecified
            let error = await rpcError {
                _ = try await world.interactions.logInteractions(.with {
                    $0.items = [
                        InteractionFixtures.request(InteractionFixtures.survey(ada.id, score: 11, at: now)),
                        InteractionFixtures.request(InteractionFixtures.interaction("cus_missing", at: now)),
                        InteractionFixtures.request(noChannel),
                        InteractionFixtures.request(InteractionFixtures.interaction(ada.id, at: now), requestID: "no spaces please"),
                    ]
                })
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("3 of 4 items failed; nothing was recorded; first: items[0].interaction.survey.nps_score:") == true,
                    "\(String(describing: error))")
            let items = try #require(try error?.batchErrors())
            // Item 1 is well-formed; its unknown customer would only be found by the store.
            #expect(items.map(\.index) == [0, 2, 3])
            #expect(items.allSatisfy { $0.code == StatusCode.invalidArgument.rawValue })
            #expect(items[0].message.hasPrefix("items[0].interaction.survey.nps_score:"), "\(items[0].message)")
            #expect(items[1].message.hasPrefix("items[2].interaction.channel:"), "\(items[1].message)")
            #expect(items[2].message.hasPrefix("items[3].request_id:"), "\(items[2].message)")
            #expect(try await world.history(of: ada.id).isEmpty)
        }
    }

    @Test func batchesOverTheConfiguredLimitOrEmptyAreRefused() async throws {
        try await InteractionHarness.run(maxBatchSize: 3) { world in
            let ada = try await world.customer()
            let one = InteractionFixtures.interaction(ada.id, at: world.clock.now)
            let tooMany = await rpcError { _ = try await world.logBatch(Array(repeating: one, count: 4)) }
            #expect(tooMany?.code == .invalidArgument)
            #expect(tooMany?.message.contains("limit of 3") == true, "\(String(describing: tooMany))")
            #expect(tooMany?.trailers["rapport-batch-errors-bin"] == nil)
            let empty = await rpcError { _ = try await world.logBatch([]) }
            #expect(empty?.code == .invalidArgument)
            #expect(try await world.history(of: ada.id).isEmpty)
            #expect(try await world.logBatch(Array(repeating: one, count: 3)).count == 3)
        }
    }

    @Test func theDefaultLimitIsAThousand() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let one = InteractionFixtures.interaction(ada.id, at: world.clock.now)
            let error = await rpcError { _ = try await world.logBatch(Array(repeating: one, count: 1001)) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message == "items holds 1001 interactions, more than the limit of 1000 per batch; split it")
            #expect(try await world.history(of: ada.id).isEmpty)
        }
    }
}
