import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportStore
import RapportWire
import Testing

@testable import RapportServices

@Suite("InteractionService: LogInteraction and LogInteractions")
struct LogInteractionServiceTests {
    private let context = ServiceFixtures.context

    @Test func aValidInteractionIsStampedAndLoggedWithTheContext() async throws {
        let store = ScriptedInteractionStore()
        var policy = InteractionPolicy.defaults
        policy.followUpSLASeconds = 3600
        let reply = try await ServiceFixtures.service(store, policy: policy)
            .logInteraction(ServiceFixtures.request(ServiceFixtures.wire(.surveyResponse), requestID: "r-1"), context: context)
        // The id is the store's to assign, in its write transaction.
        #expect(store.calls.logged.map(\.interaction.id) == [""])
        #expect(reply.id == "int_scripted_0")
        #expect(reply.recordedAt.date == ServiceFixtures.now)
        let calls = store.calls
        #expect(calls.logged.map(\.requestID) == ["r-1"])
        #expect(calls.contexts.first?.now == ServiceFixtures.now)
        #expect(calls.contexts.first?.followUpSLA == 3600)
    }

    @Test func validationFailuresNameTheField() async {
        let store = ScriptedInteractionStore()
        let service = ServiceFixtures.service(store)
        var score = ServiceFixtures.wire(.surveyResponse)
        score.survey.npsScore = 11
        let cases: [(Rapport_V1_LogInteractionRequest, String)] = [
            (ServiceFixtures.request(score), "interaction.survey.nps_score: "),
            (ServiceFixtures.request(ServiceFixtures.wire(), requestID: String(repeating: "r", count: 129)), "request_id: "),
            (Rapport_V1_LogInteractionRequest(), "interaction: is required"),
            (ServiceFixtures.request(ServiceFixtures.wire(customer: "")), "interaction.customer_id: "),
        ]
        for (request, prefix) in cases {
            let error = await ServiceFixtures.rpcError { _ = try await service.logInteraction(request, context: context) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(prefix) == true, "\(String(describing: error))")
        }
        #expect(store.calls.logged.isEmpty)
    }

    @Test(arguments: [
        (StoreError(.notFound, "no customer with id cus_1"), StatusCode.notFound, "no customer with id cus_1"),
        (StoreError(.invalidReference(field: "interaction.follow_up_of"), "interaction.follow_up_of: int_1 is not an interaction of customer cus_1"),
         .invalidArgument, "interaction.follow_up_of: int_1 is not an interaction of customer cus_1"),
        (StoreError(.preconditionFailed, "the customer has not consented"), .failedPrecondition, "the customer has not consented"),
    ])
    func storeRefusalsBecomeTheirStatus(error: StoreError, code: StatusCode, message: String) async {
        let service = ServiceFixtures.service(ScriptedInteractionStore(.init(logError: error)))
        let found = await ServiceFixtures.rpcError {
            _ = try await service.logInteraction(ServiceFixtures.request(ServiceFixtures.wire(.followUp)), context: context)
        }
        #expect(found?.code == code)
        #expect(found?.message == message)
    }

    @Test func batchSizeIsBounded() async {
        var policy = InteractionPolicy.defaults
        policy.maxBatchSize = 2
        let service = ServiceFixtures.service(ScriptedInteractionStore(), policy: policy)
        let empty = await ServiceFixtures.rpcError { _ = try await service.logInteractions(.init(), context: context) }
        #expect(empty?.code == .invalidArgument)
        let three = Rapport_V1_LogInteractionsRequest.with { $0.items = Array(repeating: ServiceFixtures.request(ServiceFixtures.wire()), count: 3) }
        let over = await ServiceFixtures.rpcError { _ = try await service.logInteractions(three, context: context) }
        #expect(over?.code == .invalidArgument)
        #expect(over?.message.contains("limit of 2") == true)
    }

    @Test func everyInvalidItemIsListedAndNothingReachesTheStore() async throws {
        let store = ScriptedInteractionStore()
        var bad = ServiceFixtures.wire(.surveyResponse)
        bad.survey.npsScore = -1
        let request = Rapport_V1_LogInteractionsRequest.with {
            $0.items = [ServiceFixtures.request(ServiceFixtures.wire()), ServiceFixtures.request(bad),
                        ServiceFixtures.request(ServiceFixtures.wire()), ServiceFixtures.request(ServiceFixtures.wire(), requestID: "a b")]
        }
        let error = await ServiceFixtures.rpcError { _ = try await ServiceFixtures.service(store).logInteractions(request, context: context) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("2 of 4 items failed; nothing was recorded; first: items[1].interaction.survey.nps_score: ") == true)
        let items = try ServiceFixtures.batchErrors(error)
        #expect(items.map(\.index) == [1, 3])
        #expect(items.last?.message.hasPrefix("items[3].request_id: ") == true)
        #expect(store.calls.logged.isEmpty)
    }

    @Test func aBatchTheStoreRefusesReportsEachItemWithItsOwnCode() async throws {
        let failures = [
            BatchItemFailure(index: 2, kind: .preconditionFailed, message: "no marketing consent"),
            BatchItemFailure(index: 0, kind: .invalidReference(field: "interaction.follow_up_of"), message: "interaction.follow_up_of: int_9 is not an interaction of customer cus_1"),
        ]
        let store = ScriptedInteractionStore(.init(logError: StoreError(.batchRejected(failures), "2 of 3 refused")))
        let request = Rapport_V1_LogInteractionsRequest.with { $0.items = Array(repeating: ServiceFixtures.request(ServiceFixtures.wire()), count: 3) }
        let error = await ServiceFixtures.rpcError { _ = try await ServiceFixtures.service(store).logInteractions(request, context: context) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "2 of 3 items failed; nothing was recorded; first: items[0].interaction.follow_up_of: int_9 is not an interaction of customer cus_1")
        let items = try ServiceFixtures.batchErrors(error)
        #expect(items.map(\.code) == [StatusCode.invalidArgument.rawValue, StatusCode.failedPrecondition.rawValue])
    }

    @Test func aValidBatchAnswersInItemOrder() async throws {
        let store = ScriptedInteractionStore()
        let request = Rapport_V1_LogInteractionsRequest.with {
            $0.items = ["cus_a", "cus_b", "cus_c"].map { ServiceFixtures.request(ServiceFixtures.wire(customer: $0)) }
        }
        let reply = try await ServiceFixtures.service(store).logInteractions(request, context: context)
        #expect(reply.interactions.map(\.customerID) == ["cus_a", "cus_b", "cus_c"])
        #expect(Set(reply.interactions.map(\.id)).count == 3)
        #expect(store.calls.contexts.count == 1)
    }
}
