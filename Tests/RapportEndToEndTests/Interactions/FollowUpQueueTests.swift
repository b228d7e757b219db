import Foundation
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf
import Testing

@Suite("InteractionService: ListFollowUps, the closed loop")
struct FollowUpQueueTests {
    @Test func detractorsAndComplaintsWaitEarliestDueFirstUntilAFollowUpAnswersThem() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer(branch: "0001")
            let bob = try await world.customer(name: "Bob Marley", branch: "0002")
            let logged = try await world.logBatch([
                InteractionFixtures.interaction(ada.id, .complaint, at: world.clock.offset(days: -2)),
                InteractionFixtures.survey(ada.id, score: 6, at: world.clock.offset(hours: -1)),
                InteractionFixtures.interaction(bob.id, .complaint, at: world.clock.offset(hours: -30)),
                // Neither passives, promoters nor other kinds open an item.
                InteractionFixtures.survey(ada.id, score: 7, at: world.clock.offset(hours: -3)),
                InteractionFixtures.survey(bob.id, score: 10, at: world.clock.offset(hours: -3)),
                InteractionFixtures.interaction(bob.id, .inquiry, at: world.clock.offset(hours: -50)),
            ])
            let (adaComplaint, adaDetractor, bobComplaint) = (logged[0], logged[1], logged[2])
            let queue = try await world.followUps()
            #expect(queue.map(\.interaction) == [adaComplaint, bobComplaint, adaDetractor])
            #expect(queue.map(\.reason) == [.complaint, .complaint, .detractor])
            #expect(queue.map(\.overdue) == [true, true, false])
            for item in queue {
                #expect(item.dueAt == InteractionFixtures.timestamp(item.interaction.occurredAt.date.addingTimeInterval(86_400)))
            }
            #expect(try await world.followUps(.with { $0.customerID = bob.id }).map(\.interaction.id) == [bobComplaint.id])
            #expect(try await world.followUps(.with { $0.branchID = "0001" }).map(\.interaction.id) == [adaComplaint.id, adaDetractor.id])
            #expect(try await world.followUps(.with { $0.customerID = "cus_nobody" }).isEmpty)
            // The branch is the customer's when the item opened, not today's.
            _ = try await world.client.customers.updateCustomer(.with {
                $0.id = ada.id
                $0.profile = .with { $0.branchID = "0003" }
                $0.updateMask = .init(protoPaths: ["branch_id"])
            })
            #expect(try await world.followUps(.with { $0.branchID = "0001" }).count == 2)
            #expect(try await world.followUps(.with { $0.branchID = "0003" }).isEmpty)

            _ = try await world.log(InteractionFixtures.followUp(ada.id, of: adaComplaint.id, at: world.clock.now))
            #expect(try await world.followUps().map(\.interaction.id) == [bobComplaint.id, adaDetractor.id])
            _ = try await world.log(InteractionFixtures.followUp(ada.id, of: adaDetractor.id, at: world.clock.now))
            #expect(try await world.followUps().map(\.interaction.id) == [bobComplaint.id])
        }
    }

    @Test func anItemIsOverdueOnceTheClockIsStrictlyPastItsDueTime() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let complaint = try await world.log(InteractionFixtures.interaction(ada.id, .complaint, at: world.clock.now))
            let due = world.clock.now.addingTimeInterval(86_400)
            var item = try #require(try await world.followUps().first)
            #expect(item.dueAt == InteractionFixtures.timestamp(due))
            #expect(!item.overdue)
            world.clock.set(due)
            item = try #require(try await world.followUps().first)
            #expect(!item.overdue, "a follow-up exactly at the due time is on time")
            world.clock.set(due.addingTimeInterval(0.001))
            item = try #require(try await world.followUps().first)
            #expect(item.overdue)
            #expect(item.interaction.id == complaint.id)
        }
    }

    @Test func aLaterDetractorDueEarlierComesFirstAndTheSLAIsConfigurable() async throws {
        try await InteractionHarness.run(followUpSLASeconds: 3_600) { world in
            let ada = try await world.customer()
            // Logged first but happened last: the queue is ordered by due time, not by logging.
            let recent = try await world.log(InteractionFixtures.survey(ada.id, score: 0, at: world.clock.offset(minutes: -10)))
            let older = try await world.log(InteractionFixtures.interaction(ada.id, .complaint, at: world.clock.offset(minutes: -90)))
            let queue = try await world.followUps()
            #expect(queue.map(\.interaction.id) == [older.id, recent.id])
            #expect(queue.map(\.overdue) == [true, false])
            #expect(queue[1].dueAt == InteractionFixtures.timestamp(world.clock.offset(minutes: 50)))
        }
    }

    @Test func pagesAndTokensWorkAsForListInteractions() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer(branch: "0001")
            // Pairs at the same instant: equal due times are ordered by id, also across pages.
            let complaints = try await world.logBatch((0..<5).map {
                InteractionFixtures.interaction(ada.id, .complaint, at: world.clock.offset(hours: -Double(10 - $0 / 2)))
            })
            for size: Int32 in [1, 2, 3] {
                let paged = try await world.followUps(.with { $0.pageSize = size })
                #expect(paged.map(\.interaction.id) == complaints.map(\.id), "page size \(size)")
            }
            let first = try await world.interactions.listFollowUps(.with { $0.pageSize = 2 })
            #expect(first.items.count == 2)
            let otherFilter = await rpcError { _ = try await world.interactions.listFollowUps(.with {
                $0.branchID = "0001"
                $0.pageToken = first.nextPageToken
            }) }
            #expect(otherFilter?.code == .invalidArgument)
            let garbage = await rpcError { _ = try await world.interactions.listFollowUps(.with { $0.pageToken = "nope" }) }
            #expect(garbage?.code == .invalidArgument)
            let negative = await rpcError { _ = try await world.interactions.listFollowUps(.with { $0.pageSize = -2 }) }
            #expect(negative?.code == .invalidArgument)
        }
    }
}
