import Foundation
import RapportDomain
import Testing
@testable import RapportStore

/// Every write that carries a stamp commits its audit event in its own transaction, and a write
/// that fails leaves none.
@Suite("Audit trail: write events commit with the write")
struct AuditedWriteTests {
    static func stamp(_ method: String) -> AuditStamp {
        AuditStamp(principal: "manager-1", method: "/rapport.v1.Test/\(method)", requestID: "req-\(method)", peer: "10.1.2.3:4444")
    }

    static func events(_ store: SQLiteCustomerStore) async throws -> [AuditEvent] {
        try await store.auditEvents(AuditFilter(), pageSize: 1000, after: nil).events
    }

    @Test func customerWritesRecordTheirEvents() async throws {
        try await withStore { store in
            let customer = try await store.create(makeCustomer(), requestID: "c1", audit: Self.stamp("Create")).customer
            _ = try await store.create(makeCustomer(), requestID: "c1", audit: Self.stamp("Create"))
            _ = try await store.update(id: customer.id, expectedEtag: nil, today: CalendarDate(year: 2025, month: 1, day: 1), audit: Self.stamp("Update")) {
                customer, _ in customer.profile.occupation = "Engineer"
            }
            _ = try await store.appendConsent(customerID: customer.id, [ConsentFixtures.marketingEmail(granted: true)], audit: Self.stamp("Consent"))
            let receipt = try await store.delete(id: customer.id, expectedEtag: nil, audit: Self.stamp("Delete"))
            let events = try await Self.events(store)
            #expect(events.map(\.entry.method) == ["Create", "Create", "Update", "Consent", "Delete"].map { "/rapport.v1.Test/\($0)" })
            #expect(events.map(\.entry.detail) == ["", "replayed", "", "", "erased \(receipt.id)"])
            #expect(events.allSatisfy { $0.entry.customerIDs == [customer.id] && $0.entry.outcome == "OK" })
            #expect(events[0].entry.principal == "manager-1")
            #expect(events[0].entry.requestID == "req-Create")
            #expect(events[0].entry.peer == "10.1.2.3:4444")
            // The trail outlives the customer it names.
            #expect(try await store.auditEvents(AuditFilter(customerID: customer.id), pageSize: 10, after: nil).events.count == 5)
            guard case .intact(5, _) = try await store.verifyAuditChain() else {
                Issue.record("chain not intact")
                return
            }
        }
    }

    @Test func aFailedWriteLeavesNoEvent() async throws {
        try await withStore { store in
            let customer = try await store.create(makeCustomer(), requestID: nil, audit: nil).customer
            await #expect(throws: StoreError.self) {
                try await store.delete(id: "cus_missing", expectedEtag: nil, audit: Self.stamp("Delete"))
            }
            await #expect(throws: StoreError.self) {
                try await store.delete(id: customer.id, expectedEtag: "stale", audit: Self.stamp("Delete"))
            }
            await #expect(throws: RejectedChange.self) {
                _ = try await store.update(id: customer.id, expectedEtag: nil, today: CalendarDate(year: 2025, month: 1, day: 1), audit: Self.stamp("Update")) {
                    _, _ in throw RejectedChange(field: "x")
                }
            }
            await #expect(throws: StoreError.self) {
                _ = try await store.appendConsent(customerID: "cus_missing", [ConsentFixtures.marketingEmail(granted: true)], audit: Self.stamp("Consent"))
            }
            await #expect(throws: StoreError.self) {
                _ = try await store.retireProduct(code: "MISSING", audit: Self.stamp("Retire"))
            }
            #expect(try await Self.events(store).isEmpty)
        }
    }

    @Test func writesWithoutAStampRecordNothing() async throws {
        try await withStore { store in
            let customer = try await store.create(makeCustomer(), requestID: nil).customer
            try await store.delete(id: customer.id, expectedEtag: nil)
            #expect(try await Self.events(store).isEmpty)
        }
    }

    @Test func groupCommittedLogsEachCarryTheirOwnStampAndAFailedOneLeavesNone() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            var contexts: [LogContext] = []
            for n in 0..<8 {
                var context = LogFixture.context()
                context.audit = AuditStamp(principal: "agent-\(n)", method: "/m", requestID: "r\(n)", peer: "")
                contexts.append(context)
            }
            // Odd ones name a customer that does not exist: they fail alone, in their savepoints.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, context) in contexts.enumerated() {
                    group.addTask {
                        let interaction = LogFixture.interaction(n.isMultiple(of: 2) ? customer.id : "cus_missing")
                        _ = try? await store.log(NewInteraction(interaction: interaction, requestID: nil), context: context)
                    }
                }
                try await group.waitForAll()
            }
            let events = try await Self.events(store)
            #expect(Set(events.map(\.entry.principal)) == ["agent-0", "agent-2", "agent-4", "agent-6"])
            #expect(events.allSatisfy { $0.entry.customerIDs == [customer.id] })
            guard case .intact(4, _) = try await store.verifyAuditChain() else {
                Issue.record("chain not intact")
                return
            }
        }
    }

    @Test func aBatchRecordsOneEventNamingEachCustomerOnceAndARejectedBatchNone() async throws {
        try await withStore { store in
            let first = try await LogFixture.customer(store)
            let second = try await LogFixture.customer(store)
            var context = LogFixture.context()
            context.audit = Self.stamp("Batch")
            let entries = [first.id, second.id, first.id].map { NewInteraction(interaction: LogFixture.interaction($0), requestID: nil) }
            _ = try await store.logBatch(entries, context: context)
            await #expect(throws: StoreError.self) {
                _ = try await store.logBatch(entries + [NewInteraction(interaction: LogFixture.interaction("cus_missing"), requestID: nil)], context: context)
            }
            let events = try await Self.events(store)
            #expect(events.count == 1)
            #expect(events.first?.entry.customerIDs == [first.id, second.id])
        }
    }

    @Test func productWritesRecordTheirCode() async throws {
        try await withStore { store in
            _ = try await store.upsertProduct(makeProduct("SAVER"), expectedEtag: nil, audit: Self.stamp("Upsert"))
            _ = try await store.retireProduct(code: "SAVER", audit: Self.stamp("Retire"))
            let events = try await Self.events(store)
            #expect(events.map(\.entry.detail) == ["product SAVER", "product SAVER"])
            #expect(events.allSatisfy { $0.entry.customerIDs.isEmpty })
        }
    }
}
