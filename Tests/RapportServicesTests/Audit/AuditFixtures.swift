import Foundation
import Logging
import RapportAccess
import RapportDomain
import RapportProto
import RapportServer
import RapportServices
import RapportStore
import RapportWire
import Synchronization

/// An audit trail that keeps what it is given, for looking at.
final class CollectingAuditTrail: AuditTrail {
    private let entries = Mutex<[AuditEntry]>([])

    func record(_ entry: AuditEntry) {
        entries.withLock { $0.append(entry) }
    }

    var recorded: [AuditEntry] { entries.withLock { $0 } }
}

/// A real store on a temporary data directory and services over it, called with principals.
struct AuditWorld {
    let store: SQLiteCustomerStore
    let trail = CollectingAuditTrail()
    let clock: Date

    static let manager = Principal(name: "mgr-ann", roles: [.manager])
    static let reader = Principal(name: "reader-bob", roles: [.reader])
    static let backdater = Principal(name: "mgr-cat", roles: [.manager], extraPermissions: [.backdateConsent])

    static func run(now: Date = Date(), _ body: (AuditWorld) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: path, synchronous: .off))
        do {
            try await body(AuditWorld(store: store, clock: now))
            try store.close()
        } catch {
            try? store.close()
            throw error
        }
    }

    var customers: CustomerService {
        CustomerService(store: store, interactions: store, health: HealthMonitor(), now: { [clock] in clock }, auditTrail: trail)
    }

    var interactions: InteractionService {
        InteractionService(store: store, segmenter: Segmenter(policy: .defaults), health: HealthMonitor(), now: { [clock] in clock }, auditTrail: trail)
    }

    var admin: AdminService { AdminService(store: store, health: HealthMonitor()) }

    /// A context for `method` called by `principal` from 192.0.2.7.
    static func context<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ principal: Principal?, requestID: String = "req-1"
    ) -> CallContext {
        CallContext(
            callID: 1, method: method.erased, metadata: [:], deadline: nil, requestID: requestID,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), services: [], principal: principal,
            peer: "192.0.2.7:40000")
    }

    /// A customer created `daysAgo` days before the world's clock, without an audit stamp.
    func customer(createdDaysAgo daysAgo: Double = 0) async throws -> Customer {
        let created = clock.addingTimeInterval(-daysAgo * 86_400)
        var profile = CustomerProfile()
        profile.fullName = "Grace Hopper"
        profile.branchID = "BR1"
        profile.relationshipManagerID = "RM1"
        profile.dateOfBirth = CalendarDate(year: 1970, month: 1, day: 1)
        let customer = Customer.new(
            profile: profile, externalRef: nil, customerSince: created, now: created,
            segmenter: Segmenter(policy: .defaults))
        return try await store.create(customer, requestID: nil).customer
    }

    func events(_ filter: AuditFilter = AuditFilter()) async throws -> [AuditEvent] {
        try await store.auditEvents(filter, pageSize: 1000, after: nil).events
    }
}
