import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("InteractionService: ListInteractions")
struct ListInteractionsTests {
    /// Six interactions of one customer, logged out of time order, two at the same instant;
    /// `newestFirst` is the order ListInteractions must return them in.
    struct Log {
        let customerID: String
        let byName: [String: Rapport_V1_Interaction]

        func ids(_ names: String...) -> [String] { names.map { byName[$0]!.id } }
        var newestFirst: [String] { ids("transaction", "email inquiry", "note", "survey", "complaint", "branch inquiry") }

        static func make(in world: InteractionHarness) async throws -> Log {
            let ada = try await world.customer()
            let bob = try await world.customer(name: "Bob Marley")
            let day = { (days: Double) in world.clock.offset(days: -days) }
            let names = ["branch inquiry", "complaint", "survey", "note", "transaction", "email inquiry"]
            let recorded = try await world.logBatch([
                InteractionFixtures.interaction(ada.id, .inquiry, channel: .branch, at: day(5)),
                InteractionFixtures.interaction(ada.id, .complaint, channel: .email, at: day(4)),
                InteractionFixtures.survey(ada.id, score: 8, channel: .sms, at: day(3)),
                InteractionFixtures.interaction(ada.id, .note, channel: .branch, at: day(3)),
                InteractionFixtures.interaction(ada.id, .transaction, channel: .web, at: day(1)),
                InteractionFixtures.interaction(ada.id, .inquiry, channel: .email, at: day(2)),
                InteractionFixtures.interaction(bob.id, .inquiry, channel: .email, at: day(2)),
            ])
            return Log(customerID: ada.id, byName: Dictionary(uniqueKeysWithValues: zip(names, recorded)))
        }
    }

    @Test func newestFirstWithTiesByIdAndOnlyThatCustomer() async throws {
        try await InteractionHarness.run { world in
            let log = try await Log.make(in: world)
            let page = try await world.interactions.listInteractions(.with { $0.customerID = log.customerID })
            #expect(page.interactions.map(\.id) == log.newestFirst)
            #expect(page.nextPageToken.isEmpty)
        }
    }

    @Test func filtersByTimeRangeChannelAndKind() async throws {
        try await InteractionHarness.run { world in
            let log = try await Log.make(in: world)
            let id = log.customerID
            let range = try await world.listAll(.with {
                $0.customerID = id
                $0.occurredFrom = InteractionFixtures.timestamp(world.clock.offset(days: -3))
                $0.occurredBefore = InteractionFixtures.timestamp(world.clock.offset(days: -1))
            })
            #expect(range.map(\.id) == log.ids("email inquiry", "note", "survey"))
            let channels = try await world.listAll(.with {
                $0.customerID = id
                $0.channels = [.email, .sms]
            })
            #expect(channels.map(\.id) == log.ids("email inquiry", "survey", "complaint"))
            let kinds = try await world.listAll(.with {
                $0.customerID = id
                $0.kinds = [.complaint, .surveyResponse]
            })
            #expect(kinds.map(\.id) == log.ids("survey", "complaint"))
            let both = try await world.listAll(.with {
                $0.customerID = id
                $0.channels = [.email]
                $0.kinds = [.inquiry]
            })
            #expect(both.map(\.id) == log.ids("email inquiry"))
        }
    }

    @Test func pagesCoverEveryInteractionOnceEvenAcrossATie() async throws {
        try await InteractionHarness.run { world in
            let log = try await Log.make(in: world)
            // Page size 3 puts the page boundary between the two interactions at the same instant.
            let first = try await world.interactions.listInteractions(.with {
                $0.customerID = log.customerID
                $0.pageSize = 3
            })
            #expect(first.interactions.map(\.id) == Array(log.newestFirst.prefix(3)))
            #expect(!first.nextPageToken.isEmpty)
            // The page size may change between pages.
            let rest = try await world.interactions.listInteractions(.with {
                $0.customerID = log.customerID
                $0.pageSize = 10
                $0.pageToken = first.nextPageToken
            })
            #expect(rest.interactions.map(\.id) == Array(log.newestFirst.dropFirst(3)))
            #expect(rest.nextPageToken.isEmpty)
            let onePerPage = try await world.listAll(.with {
                $0.customerID = log.customerID
                $0.pageSize = 1
            })
            #expect(onePerPage.map(\.id) == log.newestFirst)
        }
    }

    @Test func theDefaultPageIsFifty() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            _ = try await world.logBatch((0..<51).map {
                InteractionFixtures.interaction(ada.id, at: world.clock.offset(minutes: -Double($0)))
            })
            let first = try await world.interactions.listInteractions(.with { $0.customerID = ada.id })
            #expect(first.interactions.count == 50)
            #expect(!first.nextPageToken.isEmpty)
            let huge = try await world.interactions.listInteractions(.with {
                $0.customerID = ada.id
                $0.pageSize = 1_000_000
            })
            #expect(huge.interactions.count == 51)
        }
    }

    @Test func aTokenOnlyWorksWithTheFiltersAndCustomerItWasIssuedFor() async throws {
        try await InteractionHarness.run { world in
            let log = try await Log.make(in: world)
            let id = log.customerID
            let first = try await world.interactions.listInteractions(.with {
                $0.customerID = id
                $0.channels = [.email, .sms]
                $0.pageSize = 1
            })
            let token = first.nextPageToken
            #expect(!token.isEmpty)
            // Channels in another order are the same filter.
            let next = try await world.interactions.listInteractions(.with {
                $0.customerID = id
                $0.channels = [.sms, .email]
                $0.pageSize = 1
                $0.pageToken = token
            })
            #expect(next.interactions.map(\.id) == log.ids("survey"))
            let misuses: [Rapport_V1_ListInteractionsRequest] = [
                .with { $0.customerID = id; $0.channels = [.email]; $0.pageToken = token },
                .with { $0.customerID = id; $0.channels = [.email, .sms]; $0.kinds = [.inquiry]; $0.pageToken = token },
                .with {
                    $0.customerID = id
                    $0.channels = [.email, .sms]
                    $0.occurredFrom = InteractionFixtures.timestamp(world.clock.offset(days: -30))
                    $0.pageToken = token
                },
                .with { $0.customerID = "cus_someone_else"; $0.channels = [.email, .sms]; $0.pageToken = token },
                .with { $0.customerID = id; $0.pageToken = "%%%not-a-token" },
            ]
            for request in misuses {
                let error = await rpcError { _ = try await world.interactions.listInteractions(request) }
                #expect(error?.code == .invalidArgument, "\(request)")
            }
        }
    }

    @Test func badRequestsAreRefused() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let list = world.interactions
            let noCustomer = await rpcError { _ = try await list.listInteractions(.with { $0.pageSize = 5 }) }
            #expect(noCustomer?.code == .invalidArgument)
            #expect(noCustomer?.message.hasPrefix("customer_id: ") == true, "\(String(describing: noCustomer))")
            let unknown = await rpcError { _ = try await list.listInteractions(.with { $0.customerID = "cus_missing" }) }
            #expect(unknown?.code == .notFound)
            let channel = await rpcError { _ = try await list.listInteractions(.with {
                $0.customerID = ada.id
                $0.channels = [.email, .unspecified]
            }) }
            expectInvalidArgument(channel, naming: "channels[1]")
            let kind = await rpcError { _ = try await list.listInteractions(.with {
                $0.customerID = ada.id
                $0.kinds = [.UNRECOGNIZED(77)]
            }) }
            expectInvalidArgument(kind, naming: "kinds[0]")
            let backwards = await rpcError { _ = try await list.listInteractions(.with {
                $0.customerID = ada.id
                $0.occurredFrom = InteractionFixtures.timestamp(world.clock.now)
                $0.occurredBefore = InteractionFixtures.timestamp(world.clock.now)
            }) }
            #expect(backwards?.code == .invalidArgument)
            let negative = await rpcError { _ = try await list.listInteractions(.with {
                $0.customerID = ada.id
                $0.pageSize = -1
            }) }
            #expect(negative?.code == .invalidArgument)
        }
    }
}
