import Foundation
import Logging
import RapportServices
import RapportDomain
import RapportProto
import RapportServer
import RapportStore
import RapportWire
import Testing

/// A store whose every operation fails with one `StoreError`, to see what callers are told.
struct FailingStore: CustomerStore, InteractionStore {
    let error: StoreError
    let pageTokens = PageTokenCodec.ephemeral()

    func create(_ customer: Customer, requestID: String?) async throws -> CreateOutcome { throw error }
    func customer(id: String) async throws -> Customer? { throw error }
    func customer(externalRef: String) async throws -> Customer? { throw error }
    func update(
        id: String, expectedEtag: String?, today: CalendarDate, _ change: @Sendable (inout Customer, ActivitySummary) throws -> Void
    ) async throws -> Customer {
        throw error
    }
    func delete(id: String, expectedEtag: String?) async throws -> ErasureReceipt { throw error }
    func appendConsent(customerID: String, _ decisions: [ConsentDecision]) async throws -> [ConsentDecision] { throw error }
    func consentHistory(customerID: String) async throws -> [ConsentDecision] { throw error }
    func list(_ query: CustomerQuery, pageSize: Int, after cursor: PageCursor?) async throws -> CustomerPage { throw error }

    func log(_ entry: NewInteraction, context: LogContext) async throws -> LogOutcome { throw error }
    func logBatch(_ entries: [NewInteraction], context: LogContext) async throws -> [LogOutcome] { throw error }
    func interactions(
        customerID: String, filter: InteractionFilter, pageSize: Int, after cursor: InteractionCursor?
    ) async throws -> InteractionPage {
        throw error
    }
    func exportChunk(filter: InteractionFilter, afterID: String?, limit: Int) async throws -> [Interaction] { throw error }
    func npsReport(from: Date, before: Date, groupBy: NpsDimension?) async throws -> NpsReport { throw error }
    func followUps(_ filter: FollowUpFilter, pageSize: Int, after cursor: FollowUpCursor?) async throws -> FollowUpPage { throw error }
    func activityOverview(customerID: String, recent: Int, today: CalendarDate) async throws -> ActivityOverview { throw error }
    func importInteractions(_ interactions: [Interaction], context: LogContext) async throws { throw error }
}

extension CustomerService {
    /// A service over one store object serving both interfaces, as in the daemon.
    init(failing store: FailingStore, health: HealthMonitor) {
        self.init(store: store, interactions: store, health: health)
    }
}

@Suite("CustomerService maps store failures to statuses")
struct StoreFailureTests {
    static let context = CallContext(
        callID: 1,
        method: Rapport_V1_CustomerService.Method.getCustomer.erased,
        metadata: [:],
        deadline: nil,
        requestID: "test",
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        services: []
    )

    @Test(arguments: [
        (StoreError.Kind.alreadyExists(field: "external_ref"), StatusCode.alreadyExists),
        (.notFound, .notFound),
        (.etagMismatch, .aborted),
        (.invalidPageToken, .invalidArgument),
        (.busy, .unavailable),
        (.unavailable, .unavailable),
        (.ioError, .internal),
        (.diskFull, .resourceExhausted),
        (.readOnly, .failedPrecondition),
        (.corrupt, .internal),
        (.other, .internal),
    ])
    func eachStoreFailureBecomesItsStatus(kind: StoreError.Kind, expected: StatusCode) async throws {
        let health = HealthMonitor()
        health.setStatus(.serving, for: "")
        let service = CustomerService(failing: FailingStore(error: StoreError(kind, "boom")), health: health)
        do {
            _ = try await service.getCustomer(.with { $0.id = "cus_x" }, context: Self.context)
            Issue.record("expected a failure")
        } catch let error as RPCError {
            #expect(error.code == expected)
            #expect(!error.message.contains("boom") || expected == .notFound || expected == .invalidArgument)
        }
        // Only a damaged database takes the daemon out of service.
        #expect(health.status(of: "") == (kind == .corrupt ? .notServing : .serving))
    }

    /// Only a busy store tells callers to retry; a failing or read-only filesystem says what happened.
    @Test(arguments: [
        (StoreError.Kind.busy, StatusCode.unavailable, "busy; retry with backoff"),
        (.ioError, .internal, "could not read or write its files (an I/O error from the filesystem)"),
        (.readOnly, .failedPrecondition, "its database is read-only"),
        (.unavailable, .unavailable, "the store is closed"),
    ])
    func storeFailuresSayWhatHappened(kind: StoreError.Kind, code: StatusCode, message: String) async throws {
        let service = CustomerService(failing: FailingStore(error: StoreError(kind, "boom")), health: HealthMonitor())
        let error = await #expect(throws: RPCError.self) {
            _ = try await service.getCustomer(.with { $0.id = "cus_x" }, context: Self.context)
        }
        #expect(error?.code == code)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("busy") == (kind == .busy))
    }

    @Test func validationInsideAStoreTransactionIsInvalidArgument() async throws {
        struct Rejecting: Error {}
        let health = HealthMonitor()
        let service = CustomerService(failing: FailingStore(error: StoreError(.other, "unused")), health: health)
        let error = await #expect(throws: RPCError.self) {
            _ = try await service.updateCustomer(.with {
                $0.id = "cus_x"
                $0.updateMask = .init(protoPaths: ["nonsense"])
            }, context: Self.context)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("nonsense") == true)
    }
}
