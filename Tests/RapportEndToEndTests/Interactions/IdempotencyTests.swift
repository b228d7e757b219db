import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("InteractionService: idempotent retries with request_id")
struct IdempotencyTests {
    @Test func aRetryReturnsTheFirstResultAndRecordsNothingTwice() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            let sent = InteractionFixtures.interaction(customer.id, .complaint, at: world.clock.offset(minutes: -5))
            let first = try await world.log(sent, requestID: "till-7/2026-06-15/0001")
            world.clock.advance(by: 60)
            let retry = try await world.log(sent, requestID: "till-7/2026-06-15/0001")
            #expect(retry == first)
            // Whatever else the retry carries, the answer is the interaction as first stored.
            var changed = sent
            changed.summary = "a different text"
            #expect(try await world.log(changed, requestID: "till-7/2026-06-15/0001") == first)
            #expect(try await world.history(of: customer.id) == [first])
            // One complaint, one follow-up item.
            #expect(try await world.followUps().count == 1)
            let other = try await world.log(sent, requestID: "till-7/2026-06-15/0002")
            #expect(other.id != first.id)
            // Without a request id every call records.
            let (one, two) = (try await world.log(sent), try await world.log(sent))
            #expect(one.id != two.id)
        }
    }

    @Test func concurrentRetriesRecordOnce() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            let sent = InteractionFixtures.interaction(customer.id, at: world.clock.now)
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await world.log(sent, requestID: "burst-1").id }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try await world.history(of: customer.id).map(\.id) == Array(ids))
        }
    }

    @Test func aRefusedRequestStoresNothingSoItsRetryIsCheckedAfresh() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            let now = world.clock.now
            let refused = await rpcError {
                _ = try await world.log(InteractionFixtures.interaction(customer.id, .marketingContact, channel: .email, at: now), requestID: "r-1")
            }
            #expect(refused?.code == .failedPrecondition)
            try await world.setConsent(customer.id, .email, granted: true)
            let recorded = try await world.log(
                InteractionFixtures.interaction(customer.id, .marketingContact, channel: .email, at: now), requestID: "r-1")
            #expect(recorded.kind == .marketingContact)
            #expect(try await world.history(of: customer.id).count == 1)
        }
    }

    @Test func batchItemsReplayEarlierRequestsAndEachOther() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            let now = world.clock.now
            let single = try await world.log(InteractionFixtures.interaction(customer.id, at: now), requestID: "a")
            let items: [Rapport_V1_LogInteractionRequest] = [
                InteractionFixtures.request(InteractionFixtures.interaction(customer.id, at: now), requestID: "a"),
                InteractionFixtures.request(InteractionFixtures.interaction(customer.id, .transaction, at: now), requestID: "b"),
                InteractionFixtures.request(InteractionFixtures.interaction(customer.id, .transaction, at: now), requestID: "b"),
            ]
            let first = try await world.interactions.logInteractions(.with { $0.items = items }).interactions
            #expect(first.map(\.id) == [single.id, first[1].id, first[1].id])
            #expect(first[0] == single)
            #expect(first[2].kind == .transaction)
            // The whole batch again: the same answer, nothing new.
            let again = try await world.interactions.logInteractions(.with { $0.items = items }).interactions
            #expect(again == first)
            #expect(try await world.history(of: customer.id).count == 2)
        }
    }

    @Test func aRequestIDReusedForAnotherCustomerIsRefusedAndRevealsNothing() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let bob = try await world.customer()
            let now = world.clock.now
            _ = try await world.log(InteractionFixtures.interaction(ada.id, .complaint, at: now), requestID: "shared")
            let single = await rpcError {
                _ = try await world.log(InteractionFixtures.interaction(bob.id, .complaint, at: now), requestID: "shared")
            }
            #expect(single?.code == .alreadyExists)
            #expect(single?.message.hasPrefix("request_id: shared was already used") == true, "\(String(describing: single))")
            #expect(single?.message.contains(ada.id) == false)
            let batch = await rpcError {
                _ = try await world.interactions.logInteractions(.with {
                    $0.items = [InteractionFixtures.request(InteractionFixtures.interaction(bob.id, .complaint, at: now), requestID: "shared")]
                })
            }
            #expect(batch?.code == .alreadyExists)
            #expect(batch?.message.contains("first: items[0].request_id: shared was already used") == true, "\(String(describing: batch))")
            #expect(try await world.history(of: bob.id).isEmpty)
        }
    }
}
