import RapportAccess
import RapportProto
import RapportServer
import RapportServices
import SwiftProtobuf
import Testing

/// Descriptor-driven: every method whose response can carry personal data is called as every
/// role, and the personal data in what it returns must be masked exactly for the roles without
/// `customers.read_personal_data`. A new method or a new field fails here until it is handled.
@Suite("Masking: every personal-data response, every role", .serialized)
struct MaskingCoverageTests {
    @Test func everyStringFieldOfEveryResponseIsClassified() {
        var unclassified: [String] = []
        let reachable = Set(PersonalDataCatalog.methods.flatMap { PersonalDataCatalog.reachable(from: $0.responseType) })
        for type in reachable.sorted() where type.hasPrefix("rapport.v1.") {
            for field in PersonalDataCatalog.messages[type]?.field ?? [] where field.type == .string {
                let name = "\(type).\(field.name)"
                if PersonalDataCatalog.fields[name] == nil && !PersonalDataCatalog.reviewedNotPersonal.contains(name) {
                    unclassified.append(name)
                }
            }
        }
        #expect(unclassified.isEmpty, "classify these as personal data (and mask them) or as reviewed: \(unclassified)")
        for name in PersonalDataCatalog.fields.keys {
            let type = String(name[..<(name.lastIndex(of: ".") ?? name.endIndex)])
            let field = String(name[name.index(after: name.lastIndex(of: ".") ?? name.startIndex)...])
            #expect(PersonalDataCatalog.messages[type]?.field.contains { $0.name == field } == true, "\(name) is not in the protos")
        }
    }

    /// Messages masked by the message that holds them, which also keeps their `masked_fields`.
    static let maskedByParent = ["rapport.v1.CustomerProfile": "rapport.v1.Customer", "rapport.v1.SurveyResponse": "rapport.v1.Interaction"]

    @Test func everyMessageOnTheWayToPersonalDataCanMaskIt() {
        for (path, response) in PersonalDataCatalog.methods where PersonalDataCatalog.carriesPersonalData(response) {
            for type in PersonalDataCatalog.reachable(from: response) where PersonalDataCatalog.carriesPersonalData(type) {
                if let parent = Self.maskedByParent[type] {
                    #expect(PersonalDataCatalog.messages[parent]?.field.contains { $0.typeName == ".\(type)" } == true)
                    continue
                }
                #expect(
                    RapportCatalog.messageType(named: type) is any PersonalDataMasking.Type,
                    "\(type) (returned by \(path)) carries personal data but does not conform to PersonalDataMasking")
            }
        }
    }

    @Test func everyMethodReturningPersonalDataIsExercised() async throws {
        let scenario = try await MaskingScenario()
        let expected = Set(PersonalDataCatalog.methods.filter { PersonalDataCatalog.carriesPersonalData($0.responseType) }.map(\.path))
        #expect(Set(scenario.calls.keys) == expected)
    }

    @Test(arguments: Role.allCases)
    func personalDataIsMaskedExactlyForRolesWithoutThePermission(role: Role) async throws {
        let scenario = try await MaskingScenario()
        let context = ServiceFixtures.context(as: [role])
        let unmasked = Principal(name: "p", roles: [role]).may(.readPersonalData)
        for (path, call) in scenario.calls.sorted(by: { $0.key < $1.key }) {
            let responses = try await call(context)
            let findings = try responses.flatMap { try PersonalDataCatalog.findings(in: $0) }
            if unmasked {
                #expect(!findings.isEmpty && findings.allSatisfy { !$0.masked }, "\(role) \(path): \(findings)")
            } else {
                #expect(findings.allSatisfy { $0.masked }, "\(role) \(path): \(findings)")
                let text = try responses.map { try $0.jsonString() }.joined()
                for secret in [
                    MaskingScenario.phone, MaskingScenario.email, MaskingScenario.nationalID, MaskingScenario.line1,
                    MaskingScenario.postalCode, MaskingScenario.summary, MaskingScenario.reason,
                ] {
                    #expect(!text.contains(secret), "\(role) \(path) returned \(secret)")
                }
                let maskedFields = responses.flatMap(Self.maskedFields)
                #expect(!maskedFields.isEmpty, "\(role) \(path): no masked_fields")
            }
        }
    }

    /// Every masked_fields entry anywhere in a response.
    static func maskedFields(_ message: any SwiftProtobuf.Message) -> [String] {
        switch message {
        case let customer as Rapport_V1_Customer: return customer.maskedFields
        case let interaction as Rapport_V1_Interaction: return interaction.maskedFields
        case let list as Rapport_V1_ListCustomersResponse: return list.customers.flatMap(\.maskedFields)
        case let list as Rapport_V1_ListInteractionsResponse: return list.interactions.flatMap(\.maskedFields)
        case let list as Rapport_V1_LogInteractionsResponse: return list.interactions.flatMap(\.maskedFields)
        case let list as Rapport_V1_ListFollowUpsResponse: return list.items.flatMap(\.interaction.maskedFields)
        case let overview as Rapport_V1_CustomerOverview:
            return overview.customer.maskedFields + overview.recentInteractions.flatMap(\.maskedFields)
                + overview.openFollowUps.flatMap(\.interaction.maskedFields) + overview.latestSurvey.maskedFields
        case let outcome as Rapport_V1_RecordOfferOutcomeResponse: return outcome.interaction.maskedFields
        default: return []
        }
    }
}
