import Foundation
import RapportAccess
import RapportDomain
import RapportProto
import RapportServer
import RapportServices
import RapportStore
import RapportWire
import SwiftProtobuf
import Testing

@Suite("Consent provenance: the principal records, and backdating is limited and audited")
struct ConsentProvenanceTests {
    static func request(_ customerID: String, decidedAt: Date, recordedBy: String = "", actingFor: String = "") -> Rapport_V1_SetConsentRequest {
        .with {
            $0.customerID = customerID
            $0.decisions = [.with {
                $0.channel = .email
                $0.purpose = .marketing
                $0.granted = true
                $0.decidedAt = Google_Protobuf_Timestamp(date: decidedAt)
                $0.source = .branch
                $0.recordedBy = recordedBy
                $0.actingFor = actingFor
            }]
        }
    }

    static func context(_ principal: Principal?) -> CallContext {
        AuditWorld.context(Rapport_V1_CustomerService.Method.setConsent, principal)
    }

    @Test func recordedByIsThePrincipalAndTheCallersNameIsKeptAsActingFor() async throws {
        try await AuditWorld.run { world in
            let customer = try await world.customer(createdDaysAgo: 1)
            let response = try await world.customers.setConsent(
                Self.request(customer.id, decidedAt: world.clock, recordedBy: "forged-name"), context: Self.context(AuditWorld.manager))
            #expect(response.current.first?.recordedBy == "mgr-ann")
            #expect(response.current.first?.actingFor == "forged-name")
            let explicit = try await world.customers.setConsent(
                Self.request(customer.id, decidedAt: world.clock, actingFor: "clerk-9"), context: Self.context(AuditWorld.manager))
            #expect(explicit.current.first?.recordedBy == "mgr-ann")
            #expect(explicit.current.first?.actingFor == "clerk-9")
            let history = try await world.store.consentHistory(customerID: customer.id)
            #expect(history.map(\.recordedBy) == ["mgr-ann", "mgr-ann"])
            #expect(history.map(\.actingFor) == ["forged-name", "clerk-9"])
        }
    }

    @Test func actingForIsValidatedLikeRecordedBy() async throws {
        try await AuditWorld.run { world in
            let customer = try await world.customer(createdDaysAgo: 1)
            let error = await #expect(throws: RPCError.self) {
                _ = try await world.customers.setConsent(
                    Self.request(customer.id, decidedAt: world.clock, actingFor: "a\nb"), context: Self.context(AuditWorld.manager))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("decisions[0].acting_for") == true)
        }
    }

    @Test func aDecisionBeforeTheCustomerWasCreatedIsInvalid() async throws {
        try await AuditWorld.run { world in
            let customer = try await world.customer(createdDaysAgo: 1)
            let error = await #expect(throws: RPCError.self) {
                _ = try await world.customers.setConsent(
                    Self.request(customer.id, decidedAt: world.clock.addingTimeInterval(-2 * 86_400)),
                    context: Self.context(AuditWorld.backdater))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("decisions[0].decided_at: must not lie before the customer was created") == true)
            #expect(try await world.store.consentHistory(customerID: customer.id).isEmpty)
        }
    }

    /// Clocks differ between services: a decision may be dated up to the allowed skew before the
    /// customer's creation, and not a second more.
    @Test func aDecisionWithinTheClockSkewBeforeCreationIsAccepted() async throws {
        // Whole seconds, so the stored creation time (milliseconds) is exactly the one compared with.
        try await AuditWorld.run(now: Date(timeIntervalSince1970: 1_800_000_000)) { world in
            let customer = try await world.customer(createdDaysAgo: 1)
            let edge = customer.createdAt.addingTimeInterval(-ConsentProvenance.creationClockSkew)
            _ = try await world.customers.setConsent(
                Self.request(customer.id, decidedAt: edge), context: Self.context(AuditWorld.backdater))
            let error = await #expect(throws: RPCError.self) {
                _ = try await world.customers.setConsent(
                    Self.request(customer.id, decidedAt: edge.addingTimeInterval(-1)), context: Self.context(AuditWorld.backdater))
            }
            #expect(error?.code == .invalidArgument)
            #expect(try await world.store.consentHistory(customerID: customer.id).count == 1)
        }
    }

    @Test func backdatingBeyondTheWindowNeedsThePermissionAndIsMarkedInTheTrail() async throws {
        try await AuditWorld.run { world in
            let customer = try await world.customer(createdDaysAgo: 60)
            let tenDaysAgo = world.clock.addingTimeInterval(-10 * 86_400)
            let denied = await #expect(throws: RPCError.self) {
                _ = try await world.customers.setConsent(Self.request(customer.id, decidedAt: tenDaysAgo), context: Self.context(AuditWorld.manager))
            }
            #expect(denied?.code == .permissionDenied)
            #expect(denied?.message.contains("consent.backdate") == true)
            #expect(world.trail.recorded.map(\.outcome) == ["PERMISSION_DENIED"])
            // Without a principal (no credentials configured) nobody may backdate either.
            await #expect(throws: RPCError.self) {
                _ = try await world.customers.setConsent(Self.request(customer.id, decidedAt: tenDaysAgo), context: Self.context(nil))
            }

            // Within the window: a plain write.
            _ = try await world.customers.setConsent(
                Self.request(customer.id, decidedAt: world.clock.addingTimeInterval(-6 * 86_400)), context: Self.context(AuditWorld.manager))
            _ = try await world.customers.setConsent(Self.request(customer.id, decidedAt: tenDaysAgo), context: Self.context(AuditWorld.backdater))
            let events = try await world.events()
            #expect(events.map(\.entry.detail) == ["", "consent.backdated"])
            #expect(events.map(\.entry.principal) == ["mgr-ann", "mgr-cat"])
            #expect(try await world.store.consentHistory(customerID: customer.id).count == 2)
        }
    }
}
