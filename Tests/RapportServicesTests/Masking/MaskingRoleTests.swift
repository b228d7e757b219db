import RapportAccess
import RapportProto
import RapportServer
import RapportServices
import RapportWire
import SwiftProtobuf
import Testing

@Suite("Masking: what each role sees, and masked values written back", .serialized)
struct MaskingRoleTests {
    let hidden = MaskedFormat.hidden

    @Test func aManagerSeesPersonalDataAsStored() async throws {
        let scenario = try await MaskingScenario()
        let customer = try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: ServiceFixtures.context(as: [.manager]))
        #expect(customer.profile == MaskingScenario.profile)
        #expect(customer.maskedFields.isEmpty)
        let log = try await scenario.interactions.listInteractions(
            .with { $0.customerID = scenario.customerID }, context: ServiceFixtures.context(as: [.manager]))
        #expect(log.interactions.map(\.summary) == [MaskingScenario.summary])
        #expect(log.interactions.map(\.survey.reason) == [MaskingScenario.reason])
        #expect(log.interactions.allSatisfy { $0.maskedFields.isEmpty })
    }

    @Test(arguments: [Role.reader, .agent, .admin, .auditor])
    func otherRolesSeeTheMaskedForms(role: Role) async throws {
        let scenario = try await MaskingScenario()
        let context = ServiceFixtures.context(as: [role])
        let customer = try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: context)
        let profile = customer.profile
        #expect(profile.fullName == "Ada Lovelace")
        #expect(profile.phone == hidden + "123")
        #expect(profile.email == "a" + hidden + "@example.com")
        #expect(profile.nationalID == hidden + "456C")
        #expect(profile.dateOfBirth == .with { $0.year = 1985 })
        #expect(profile.address == .with { $0.line1 = hidden; $0.city = "London" })
        #expect(profile.occupation == "Engineer")
        #expect(customer.maskedFields == ["profile.phone", "profile.email", "profile.national_id", "profile.date_of_birth", "profile.address"])

        let log = try await scenario.interactions.listInteractions(.with { $0.customerID = scenario.customerID }, context: context)
        #expect(log.interactions.count == 1)
        #expect(log.interactions.first?.summary == "")
        #expect(log.interactions.first?.survey.reason == "")
        #expect(log.interactions.first?.survey.npsScore == 3)
        #expect(log.interactions.first?.maskedFields == ["summary", "survey.reason"])
    }

    @Test func aPrincipalGrantedThePermissionAloneSeesPersonalData() async throws {
        let scenario = try await MaskingScenario()
        var context = ServiceFixtures.context(as: [.reader])
        #expect(try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: context).profile.phone != MaskingScenario.phone)
        context = CallContext(
            callID: 1, method: Rapport_V1_CustomerService.Method.getCustomer.erased, metadata: [:], deadline: nil, requestID: "t",
            logger: context.logger, services: [], principal: Principal(name: "p", roles: [.reader], extraPermissions: [.readPersonalData]))
        #expect(try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: context).profile.phone == MaskingScenario.phone)
    }

    @Test func aCallWithoutAPrincipalSeesPersonalDataMasked() async throws {
        let scenario = try await MaskingScenario()
        let context = CallContext(
            callID: 1, method: Rapport_V1_CustomerService.Method.getCustomer.erased, metadata: [:], deadline: nil, requestID: "t",
            logger: ServiceFixtures.context.logger, services: [])
        let customer = try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: context)
        #expect(customer.profile.phone == hidden + "123")
    }

    /// A manager copying a reader's masked read into an update: each masked field named in the
    /// mask is refused, nothing changes; fields outside the mask are not looked at.
    @Test(arguments: ["phone", "email", "national_id", "date_of_birth", "address"])
    func aMaskedValueWrittenBackIsRefused(field: String) async throws {
        let scenario = try await MaskingScenario()
        let manager = ServiceFixtures.context(as: [.manager])
        let masked = try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: ServiceFixtures.context(as: [.reader]))
        let error = await ServiceFixtures.rpcError {
            _ = try await scenario.customers.updateCustomer(
                .with {
                    $0.id = scenario.customerID
                    $0.profile = masked.profile
                    $0.updateMask = .init(protoPaths: [field])
                }, context: manager)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("profile.\(field): is a masked value") == true, "\(String(describing: error))")
        let stored = try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: manager)
        #expect(stored.profile == MaskingScenario.profile)

        let other = try await scenario.customers.updateCustomer(
            .with {
                $0.id = scenario.customerID
                $0.profile = masked.profile
                $0.profile.occupation = "Mathematician"
                $0.updateMask = .init(protoPaths: ["occupation"])
            }, context: manager)
        #expect(other.profile.occupation == "Mathematician")
        #expect(other.profile.phone == MaskingScenario.phone)
    }

    @Test func aCreateFromAMaskedReadIsRefused() async throws {
        let scenario = try await MaskingScenario()
        let masked = try await scenario.customers.getCustomer(.with { $0.id = scenario.customerID }, context: ServiceFixtures.context(as: [.reader]))
        var profile = MaskingScenario.profile
        profile.address = masked.profile.address
        let error = await ServiceFixtures.rpcError {
            _ = try await scenario.customers.createCustomer(.with { $0.profile = profile }, context: ServiceFixtures.context(as: [.manager]))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("profile.address: is a masked value") == true, "\(String(describing: error))")
    }
}

@Suite("Masking: a masked interaction logged again")
struct MaskedInteractionWriteTests {
    @Test func anInteractionReadMaskedIsRefused() async throws {
        let store = ScriptedInteractionStore()
        var interaction = ServiceFixtures.wire(.inquiry)
        interaction.maskPersonalData()
        #expect(interaction.maskedFields == ["summary"])
        let error = await ServiceFixtures.rpcError {
            _ = try await ServiceFixtures.service(store).logInteraction(ServiceFixtures.request(interaction), context: ServiceFixtures.context)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("interaction.masked_fields: is output only") == true, "\(String(describing: error))")
    }
}
