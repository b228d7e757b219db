import Foundation
import RapportDomain
import RapportProto
import RapportStore
import RapportWire
import SwiftProtobuf
import Synchronization
import Testing

@testable import RapportServer
@testable import RapportServices

@Suite("InteractionService: ListInteractions, ExportInteractions, ListFollowUps")
struct InteractionReadServiceTests {
    private let context = ServiceFixtures.context

    private func interaction(_ number: Int, kind: InteractionKind = .inquiry) -> Interaction {
        Interaction(
            id: String(format: "int_%05d", number), customerID: "cus_1", channel: .branch, kind: kind,
            occurredAt: ServiceFixtures.now.addingTimeInterval(-Double(number)), recordedAt: ServiceFixtures.now)
    }

    @Test func listNeedsACustomerAndANonNegativePageSize() async {
        let service = ServiceFixtures.service(ScriptedInteractionStore())
        let noCustomer = await ServiceFixtures.rpcError { _ = try await service.listInteractions(.init(), context: context) }
        #expect(noCustomer?.code == .invalidArgument && noCustomer?.message.hasPrefix("customer_id: ") == true)
        let negative = await ServiceFixtures.rpcError {
            _ = try await service.listInteractions(.with { $0.customerID = "cus_1"; $0.pageSize = -1 }, context: context)
        }
        #expect(negative?.code == .invalidArgument && negative?.message.hasPrefix("page_size") == true)
    }

    @Test func listPagesCarryATokenForTheSameFiltersOnly() async throws {
        let store = ScriptedInteractionStore(.init(page: InteractionPage(
            interactions: [interaction(1)], next: InteractionCursor(occurredAtMillis: 1, id: "int_00001"))))
        let service = ServiceFixtures.service(store)
        let first = try await service.listInteractions(.with { $0.customerID = "cus_1"; $0.kinds = [.inquiry] }, context: context)
        #expect(first.interactions.map(\.id) == ["int_00001"])
        #expect(!first.nextPageToken.isEmpty)
        _ = try await service.listInteractions(.with {
            $0.customerID = "cus_1"; $0.kinds = [.inquiry]; $0.pageToken = first.nextPageToken; $0.pageSize = 5000
        }, context: context)
        #expect(store.calls.listPageSizes == [50, 1000])
        let otherFilter = await ServiceFixtures.rpcError {
            _ = try await service.listInteractions(.with { $0.customerID = "cus_1"; $0.pageToken = first.nextPageToken }, context: context)
        }
        #expect(otherFilter?.code == .invalidArgument && otherFilter?.message.contains("page_token") == true)
    }

    @Test func exportStreamsChunksUntilAShortOne() async throws {
        let rows = (1...1_001).map { interaction($0) }
        let store = ScriptedInteractionStore(.init(exportRows: rows))
        let sent = Mutex<[String]>([])
        let writer = ResponseWriter<Rapport_V1_Interaction> { payload in
            let message = try Rapport_V1_Interaction(serializedBytes: payload)
            sent.withLock { $0.append(message.id) }
        }
        try await ServiceFixtures.service(store).exportInteractions(.with { $0.afterID = "" }, writer: writer, context: context)
        #expect(sent.withLock { $0 } == rows.map(\.id))
        #expect(store.calls.exportAfterIDs == [nil, "int_00500", "int_01000"])
    }

    @Test func exportResumesAfterTheGivenIDAndRefusesBadFilters() async throws {
        let store = ScriptedInteractionStore(.init(exportRows: (1...3).map { interaction($0) }))
        let count = Mutex(0)
        let writer = ResponseWriter<Rapport_V1_Interaction> { _ in count.withLock { $0 += 1 } }
        let service = ServiceFixtures.service(store)
        try await service.exportInteractions(.with { $0.afterID = "int_00001" }, writer: writer, context: context)
        #expect(count.withLock { $0 } == 2)
        let bad = await ServiceFixtures.rpcError {
            try await service.exportInteractions(.with { $0.channels = [.unspecified] }, writer: writer, context: context)
        }
        #expect(bad?.code == .invalidArgument && bad?.message.hasPrefix("channels[0]: ") == true)
    }

    @Test func followUpsAreOverdueByTheInjectedClock() async throws {
        let complaint = interaction(1, kind: .complaint)
        let items = [
            FollowUpItem(interaction: complaint, reason: .complaint, dueAt: ServiceFixtures.now.addingTimeInterval(-1)),
            FollowUpItem(interaction: interaction(2, kind: .surveyResponse), reason: .detractor, dueAt: ServiceFixtures.now),
        ]
        let store = ScriptedInteractionStore(.init(followUps: FollowUpPage(
            items: items, next: FollowUpCursor(dueAtMillis: 5, interactionID: "int_00002"))))
        let service = ServiceFixtures.service(store)
        let page = try await service.listFollowUps(.with { $0.branchID = "BR1" }, context: context)
        #expect(page.items.map(\.overdue) == [true, false])
        #expect(page.items.map(\.reason) == [.complaint, .detractor])
        let otherBranch = await ServiceFixtures.rpcError {
            _ = try await service.listFollowUps(.with { $0.branchID = "BR2"; $0.pageToken = page.nextPageToken }, context: context)
        }
        #expect(otherBranch?.code == .invalidArgument)
    }
}
