import Foundation
import RapportDomain
import RapportProto
import RapportServer
import RapportStore
import RapportWire
import Testing

@testable import RapportServices

@Suite("CustomerService: GetCustomerOverview")
struct CustomerOverviewTests {
    private let context = ServiceFixtures.context

    /// A customer store that knows one customer, whose stored segments differ from what
    /// segmenting its profile now would give.
    struct OneCustomer: CustomerStore {
        let customer: Customer
        let pageTokens = PageTokenCodec.ephemeral()
        func create(_ customer: Customer, requestID: String?) async throws -> CreateOutcome { .created(customer) }
        func customer(id: String) async throws -> Customer? { id == customer.id ? customer : nil }
        func customer(externalRef: String) async throws -> Customer? { externalRef == customer.externalRef ? customer : nil }
        func update(
            id: String, expectedEtag: String?, today: CalendarDate, _ change: @Sendable (inout Customer, ActivitySummary) throws -> Void
        ) async throws -> Customer {
            customer
        }
        func delete(id: String, expectedEtag: String?) async throws -> ErasureReceipt { throw StoreError(.notFound, "read-only") }
        func appendConsent(customerID: String, _ decisions: [ConsentDecision]) async throws -> [ConsentDecision] { [] }
        func consentHistory(customerID: String) async throws -> [ConsentDecision] { [] }
        func list(_ query: CustomerQuery, pageSize: Int, after cursor: PageCursor?) async throws -> CustomerPage {
            CustomerPage(customers: [], next: nil)
        }
    }

    static let stored = Customer(
        id: "cus_1", externalRef: "EXT-1", profile: CustomerProfile(),
        segmentation: Segmentation(valueTier: .affluent, valueTierReasons: ["stored"], lifecycleStage: .decline, lifecycleReasons: ["stored"]),
        createdAt: ServiceFixtures.now, updatedAt: ServiceFixtures.now, etag: "e1")

    private func service(_ interactions: ScriptedInteractionStore) -> CustomerService {
        CustomerService(store: OneCustomer(customer: Self.stored), interactions: interactions, health: HealthMonitor(), now: { ServiceFixtures.now })
    }

    @Test func badKeysAndCountsAreRefused() async {
        let service = service(ScriptedInteractionStore())
        let cases: [(Rapport_V1_GetCustomerOverviewRequest, StatusCode)] = [
            (.init(), .invalidArgument),
            (.with { $0.id = "cus_2" }, .notFound),
            (.with { $0.externalRef = "EXT-2" }, .notFound),
            (.with { $0.id = "cus_1"; $0.recentInteractions = -1 }, .invalidArgument),
            (.with { $0.id = "cus_1"; $0.recentInteractions = 101 }, .invalidArgument),
        ]
        for (request, code) in cases {
            let error = await ServiceFixtures.rpcError { _ = try await service.getCustomerOverview(request, context: context) }
            #expect(error?.code == code, "\(request)")
        }
    }

    @Test func theOverviewCarriesTheStoredCustomerAndTheLog() async throws {
        let survey = Interaction(
            id: "int_1", customerID: "cus_1", channel: .web, kind: .surveyResponse, occurredAt: ServiceFixtures.now,
            recordedAt: ServiceFixtures.now, survey: SurveyResponse(npsScore: 2, reason: "slow"))
        let item = FollowUpItem(interaction: survey, reason: .detractor, dueAt: ServiceFixtures.now.addingTimeInterval(-60))
        let interactions = ScriptedInteractionStore(.init(overview: ActivityOverview(
            recentInteractions: [survey], openFollowUps: [item], latestSurvey: survey,
            activity: ActivitySummary(contactsLast90Days: 1, contactsPrevious90Days: 0, complaintsLast90Days: 0))))
        let overview = try await service(interactions).getCustomerOverview(.with { $0.externalRef = "EXT-1" }, context: context)
        #expect(overview.customer.segmentation.lifecycleStage == .decline)
        #expect(overview.customer.segmentation.lifecycleReasons == ["stored"])
        #expect(overview.recentInteractions.map(\.id) == ["int_1"])
        #expect(overview.openFollowUps.first?.overdue == true)
        #expect(overview.latestSurvey.survey.npsScore == 2)
        #expect(overview.activity.contactsLast90Days == 1)
        _ = try await service(interactions).getCustomerOverview(.with { $0.id = "cus_1"; $0.recentInteractions = 100 }, context: context)
        #expect(interactions.calls.overviewRecent == [10, 100])
        #expect(interactions.calls.overviewToday.first == CalendarDate(year: 2025, month: 6, day: 15))
    }

    @Test func withoutASurveyLatestSurveyIsUnset() async throws {
        let overview = try await service(ScriptedInteractionStore()).getCustomerOverview(.with { $0.id = "cus_1" }, context: context)
        #expect(!overview.hasLatestSurvey)
        #expect(!overview.activity.hasFirstContactAt)
    }
}
