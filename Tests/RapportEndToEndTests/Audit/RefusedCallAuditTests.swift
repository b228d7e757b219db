import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

/// Calls the server refuses before any handler runs reach the trail through its refusal observer.
@Suite("End to end: refused calls in the audit trail")
struct RefusedCallAuditTests {
    @Test func unauthenticatedAndPermissionDeniedCallsAreRecordedWithWhoAndFromWhere() async throws {
        let principals = try TestPrincipals.make()
        defer { principals.remove() }
        try await TestDaemon.run(configure: { $0.principalsFile = principals.path }) { daemon in
            let stranger = try await daemon.makeClient(token: "rapport_not-a-token-anyone-was-given")
            let unknown = await rpcError { _ = try await stranger.customers.getCustomer(.with { $0.id = "cus_1" }) }
            #expect(unknown?.code == .unauthenticated)
            await stranger.close()

            let reader = try await daemon.makeClient(token: principals.token("reader"))
            let denied = await rpcError { _ = try await reader.customers.createCustomer(CustomerFixtures.create()) }
            #expect(denied?.code == .permissionDenied)
            let notAuditor = await rpcError { _ = try await reader.admins.verifyAuditChain(.init()) }
            #expect(notAuditor?.code == .permissionDenied)
            await reader.close()

            let auditor = try await daemon.makeClient(token: principals.token("auditor"))
            let recorded = await eventually {
                let events = (try? await AuditTrailTests.events(auditor, .with { $0.outcome = "PERMISSION_DENIED" })) ?? []
                return events.count == 2
            }
            #expect(recorded)
            let deniedEvents = try await AuditTrailTests.events(auditor, .with { $0.outcome = "PERMISSION_DENIED" })
            #expect(Set(deniedEvents.map(\.method)) == [
                Rapport_V1_CustomerService.Method.createCustomer.path, Rapport_V1_AdminService.Method.verifyAuditChain.path,
            ])
            #expect(deniedEvents.allSatisfy { $0.principal == "reader" && $0.detail == "refused" && $0.peer.hasPrefix("127.0.0.1:") })
            let unauthenticated = try await AuditTrailTests.events(auditor, .with { $0.outcome = "UNAUTHENTICATED" })
            #expect(unauthenticated.map(\.method) == [Rapport_V1_CustomerService.Method.getCustomer.path])
            // An unknown credential names no principal, and the token never reaches the trail.
            #expect(unauthenticated.first?.principal == "")
            #expect(!"\(unauthenticated)".contains("not-a-token"))
            let verdict = try await auditor.admins.verifyAuditChain(.init())
            #expect(verdict.intact)
            await auditor.close()
        }
    }
}
