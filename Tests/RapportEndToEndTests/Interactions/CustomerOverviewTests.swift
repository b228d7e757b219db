import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("CustomerService: GetCustomerOverview")
struct CustomerOverviewTests {
    @Test func oneCallGivesProfileRecentInteractionsOpenFollowUpsLatestSurveyAndActivity() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer(externalRef: "CB-360")
            let bob = try await world.customer(name: "Bob Marley")
            let day = { (days: Double) in world.clock.offset(days: -days) }
            let logged = try await world.logBatch([
                InteractionFixtures.interaction(ada.id, .inquiry, at: day(120)),
                InteractionFixtures.interaction(ada.id, .transaction, at: day(100)),
                InteractionFixtures.interaction(ada.id, .complaint, at: day(60)),
                InteractionFixtures.survey(ada.id, score: 3, at: day(30)),
                InteractionFixtures.interaction(ada.id, .complaint, at: day(3)),
                InteractionFixtures.survey(ada.id, score: 9, at: day(2)),
                InteractionFixtures.interaction(ada.id, .note, at: day(1)),
                InteractionFixtures.interaction(bob.id, .complaint, at: day(1)),
            ])
            let closer = try await world.log(InteractionFixtures.followUp(ada.id, of: logged[2].id, at: day(0.5)))
            let overview = try await world.client.customers.getCustomerOverview(.with { $0.id = ada.id })
            #expect(overview.customer == (try await world.client.customers.getCustomer(.with { $0.id = ada.id })))
            let newestFirst = try await world.history(of: ada.id)
            #expect(newestFirst.first == closer)
            #expect(overview.recentInteractions == newestFirst)
            // The complaint 60 days ago is answered; the detractor and the recent complaint wait, earliest due first.
            #expect(overview.openFollowUps.map(\.interaction.id) == [logged[3].id, logged[4].id])
            #expect(overview.openFollowUps.map(\.overdue) == [true, true])
            #expect(overview.latestSurvey == logged[5])
            let activity = overview.activity
            // Last 90 days: complaint, detractor survey, complaint, promoter survey, follow-up (the note is not activity).
            #expect(activity.contactsLast90Days == 5)
            #expect(activity.contactsPrevious90Days == 2)
            #expect(activity.complaintsLast90Days == 2)
            // Exact instants of the first and latest interaction of any kind (the follow-up is latest).
            #expect(activity.firstContactAt == logged[0].occurredAt)
            #expect(activity.lastContactAt == closer.occurredAt)

            let byRef = try await world.client.customers.getCustomerOverview(.with {
                $0.externalRef = "CB-360"
                $0.recentInteractions = 3
            })
            #expect(byRef.recentInteractions == Array(newestFirst.prefix(3)))
            #expect(byRef.customer.id == ada.id)
        }
    }

    @Test func aRecentInteractionsCountOfZeroMeansTen() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            _ = try await world.logBatch((0..<12).map {
                InteractionFixtures.interaction(ada.id, at: world.clock.offset(hours: -Double($0)))
            })
            let overview = try await world.client.customers.getCustomerOverview(.with { $0.id = ada.id })
            #expect(overview.recentInteractions == Array(try await world.history(of: ada.id).prefix(10)))
            let hundred = try await world.client.customers.getCustomerOverview(.with {
                $0.id = ada.id
                $0.recentInteractions = 100
            })
            #expect(hundred.recentInteractions.count == 12)
        }
    }

    @Test func aCustomerWithoutInteractionsHasAnEmptyOverview() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let overview = try await world.client.customers.getCustomerOverview(.with { $0.id = ada.id })
            #expect(overview.customer == ada)
            #expect(overview.recentInteractions.isEmpty)
            #expect(overview.openFollowUps.isEmpty)
            #expect(!overview.hasLatestSurvey)
            #expect(overview.activity.contactsLast90Days == 0)
            #expect(!overview.activity.hasFirstContactAt)
            #expect(!overview.activity.hasLastContactAt)
        }
    }

    @Test func badRequestsAreRefused() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let customers = world.client.customers
            let noKey = await rpcError { _ = try await customers.getCustomerOverview(.with { $0.recentInteractions = 5 }) }
            #expect(noKey?.code == .invalidArgument)
            let unknown = await rpcError { _ = try await customers.getCustomerOverview(.with { $0.id = "cus_missing" }) }
            #expect(unknown?.code == .notFound)
            let unknownRef = await rpcError { _ = try await customers.getCustomerOverview(.with { $0.externalRef = "CB-none" }) }
            #expect(unknownRef?.code == .notFound)
            for count: Int32 in [-1, 101] {
                let error = await rpcError { _ = try await customers.getCustomerOverview(.with {
                    $0.id = ada.id
                    $0.recentInteractions = count
                }) }
                #expect(error?.code == .invalidArgument, "recent_interactions \(count)")
            }
        }
    }
}
