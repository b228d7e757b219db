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

@Suite("Audit trail: what each kind of call records")
struct AuditServiceTests {
    @Test func aWriteCommitsItsEventWithThePrincipalAndAFailedOneIsRecordedAsAFailure() async throws {
        try await AuditWorld.run { world in
            let context = AuditWorld.context(Rapport_V1_CustomerService.Method.createCustomer, AuditWorld.manager, requestID: "req-create")
            let created = try await world.customers.createCustomer(.with {
                $0.profile = .with {
                    $0.fullName = "Ada Lovelace"
                    $0.branchID = "BR1"
                    $0.dateOfBirth = .with { $0.year = 1985; $0.month = 12; $0.day = 10 }
                }
            }, context: context)
            let events = try await world.events()
            #expect(events.count == 1)
            #expect(events.first?.entry.principal == "mgr-ann")
            #expect(events.first?.entry.method == "/rapport.v1.CustomerService/CreateCustomer")
            #expect(events.first?.entry.customerIDs == [created.id])
            #expect(events.first?.entry.requestID == "req-create")
            #expect(events.first?.entry.peer == "192.0.2.7:40000")
            #expect(world.trail.recorded.isEmpty, "a successful write records nothing beside its transaction")

            let deleteContext = AuditWorld.context(Rapport_V1_CustomerService.Method.deleteCustomer, AuditWorld.manager)
            await #expect(throws: RPCError.self) {
                _ = try await world.customers.deleteCustomer(.with { $0.id = "cus_missing" }, context: deleteContext)
            }
            #expect(try await world.events().count == 1, "a failed write commits no event")
            let failure = try #require(world.trail.recorded.first)
            #expect(failure.outcome == "NOT_FOUND")
            #expect(failure.detail == "failed")
            #expect(failure.customerIDs == ["cus_missing"])
            #expect(failure.principal == "mgr-ann")
        }
    }

    @Test func unmaskedReadsNameEveryCustomerReturnedAndMaskedReadsNone() async throws {
        try await AuditWorld.run { world in
            let first = try await world.customer()
            let second = try await world.customer()
            let get = AuditWorld.context(Rapport_V1_CustomerService.Method.getCustomer, AuditWorld.manager)
            _ = try await world.customers.getCustomer(.with { $0.id = first.id }, context: get)
            let list = AuditWorld.context(Rapport_V1_CustomerService.Method.listCustomers, AuditWorld.manager)
            _ = try await world.customers.listCustomers(.init(), context: list)
            let overview = AuditWorld.context(Rapport_V1_CustomerService.Method.getCustomerOverview, AuditWorld.manager)
            _ = try await world.customers.getCustomerOverview(.with { $0.id = second.id }, context: overview)
            let recorded = world.trail.recorded
            #expect(recorded.map(\.method) == [
                "/rapport.v1.CustomerService/GetCustomer", "/rapport.v1.CustomerService/ListCustomers",
                "/rapport.v1.CustomerService/GetCustomerOverview",
            ])
            #expect(recorded.map(\.customerIDs) == [[first.id], [first.id, second.id], [second.id]])
            #expect(recorded.allSatisfy { $0.detail == "read" && $0.outcome == "OK" && $0.principal == "mgr-ann" })

            let masked = AuditWorld.context(Rapport_V1_CustomerService.Method.getCustomer, AuditWorld.reader)
            _ = try await world.customers.getCustomer(.with { $0.id = first.id }, context: masked)
            _ = try await world.customers.listCustomers(.init(), context: AuditWorld.context(Rapport_V1_CustomerService.Method.listCustomers, AuditWorld.reader))
            #expect(world.trail.recorded.count == 3, "a reader without customers.read_personal_data gets masked data: no event")
        }
    }

    @Test func interactionWritesAndExportsAreRecorded() async throws {
        try await AuditWorld.run { world in
            let customer = try await world.customer()
            let log = AuditWorld.context(Rapport_V1_InteractionService.Method.logInteraction, AuditWorld.manager, requestID: "req-log")
            _ = try await world.interactions.logInteraction(.with {
                $0.interaction = ServiceFixtures.wire(customer: customer.id)
                $0.interaction.occurredAt = Google_Protobuf_Timestamp(date: world.clock.addingTimeInterval(-60))
            }, context: log)
            let events = try await world.events()
            #expect(events.map(\.entry.requestID) == ["req-log"])
            #expect(events.first?.entry.customerIDs == [customer.id])

            await #expect(throws: RPCError.self) {
                _ = try await world.interactions.logInteraction(.with {
                    $0.interaction = ServiceFixtures.wire(customer: "cus_missing")
                    $0.interaction.occurredAt = Google_Protobuf_Timestamp(date: world.clock.addingTimeInterval(-60))
                }, context: log)
            }
            #expect(try await world.events().count == 1)
            #expect(world.trail.recorded.map(\.outcome) == ["NOT_FOUND"])

            let list = AuditWorld.context(Rapport_V1_InteractionService.Method.listInteractions, AuditWorld.manager)
            _ = try await world.interactions.listInteractions(.with { $0.customerID = customer.id }, context: list)
            let other = try await world.customer()
            _ = try await world.interactions.listInteractions(.with { $0.customerID = other.id }, context: list)
            #expect(world.trail.recorded.map(\.detail) == ["failed", "read"], "an empty page returns nobody's data")
            #expect(world.trail.recorded.last?.customerIDs == [customer.id])
        }
    }
}
