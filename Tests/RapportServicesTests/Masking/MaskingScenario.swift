import Foundation
import RapportAccess
import RapportDomain
import RapportProto
@testable import RapportServer
import RapportServices
import RapportStore
import RapportWire
import SwiftProtobuf
import Synchronization

/// A real store on a temporary directory with one customer holding every kind of personal data,
/// a detractor survey with a summary and a reason (so a follow-up is open), and a catalog product;
/// and one call per method that returns personal data, made as any principal.
final class MaskingScenario: Sendable {
    static let phone = "+447700900123"
    static let email = "ada@example.com"
    static let nationalID = "QQ123456C"
    static let line1 = "12 St James's Square"
    static let postalCode = "SW1Y 4JH"
    static let summary = "called about the overdraft fee"
    static let reason = "the fee was not explained"

    let directory: URL
    let store: SQLiteCustomerStore
    let customers: CustomerService
    let interactions: InteractionService
    let recommendations: RecommendationService
    let customerID: String

    static let profile: Rapport_V1_CustomerProfile = .with {
        $0.fullName = "Ada Lovelace"
        $0.dateOfBirth = .with { $0.year = 1985; $0.month = 12; $0.day = 10 }
        $0.phone = phone
        $0.email = email
        $0.nationalID = nationalID
        $0.address = .with {
            $0.line1 = line1
            $0.city = "London"
            $0.postalCode = postalCode
            $0.countryCode = "GB"
        }
        $0.branchID = "LON-001"
        $0.occupation = "Engineer"
    }

    static func survey(customer: String) -> Rapport_V1_Interaction {
        .with {
            $0.customerID = customer
            $0.channel = .branch
            $0.kind = .surveyResponse
            $0.occurredAt = Google_Protobuf_Timestamp(date: ServiceFixtures.now.addingTimeInterval(-3600))
            $0.employeeID = "E1"
            $0.summary = summary
            $0.survey = .with { $0.npsScore = 3; $0.reason = reason }
        }
    }

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-masking-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        let health = HealthMonitor()
        let now: @Sendable () -> Date = { ServiceFixtures.now }
        customers = CustomerService(store: store, interactions: store, health: health, now: now)
        interactions = InteractionService(store: store, segmenter: Segmenter(policy: .defaults), health: health, now: now)
        recommendations = RecommendationService(store: store, segmenter: Segmenter(policy: .defaults), health: health, now: now)
        let manager = ServiceFixtures.context(as: [.manager])
        customerID = try await customers.createCustomer(.with { $0.profile = Self.profile }, context: manager).id
        _ = try await interactions.logInteraction(.with { $0.interaction = Self.survey(customer: customerID) }, context: manager)
        let admin = ServiceFixtures.context(as: [.admin])
        _ = try await recommendations.upsertProduct(
            .with {
                $0.product = .with {
                    $0.code = "SAVER_PLUS"
                    $0.name = "Saver Plus"
                    $0.category = .deposit
                }
            }, context: admin)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// One call per method that returns personal data, by method path; each returns every
    /// response message the call produced.
    var calls: [String: @Sendable (CallContext) async throws -> [any SwiftProtobuf.Message]] {
        let id = customerID
        let customers = customers
        let interactions = interactions
        let recommendations = recommendations
        return [
            Rapport_V1_CustomerService.Method.createCustomer.path: { context in
                [try await customers.createCustomer(.with { $0.profile = Self.profile }, context: context)]
            },
            Rapport_V1_CustomerService.Method.getCustomer.path: { context in
                [try await customers.getCustomer(.with { $0.id = id }, context: context)]
            },
            Rapport_V1_CustomerService.Method.updateCustomer.path: { context in
                [try await customers.updateCustomer(
                    .with {
                        $0.id = id
                        $0.profile = .with { $0.occupation = "Mathematician" }
                        $0.updateMask = .init(protoPaths: ["occupation"])
                    }, context: context)]
            },
            Rapport_V1_CustomerService.Method.listCustomers.path: { context in
                [try await customers.listCustomers(.init(), context: context)]
            },
            Rapport_V1_CustomerService.Method.getCustomerOverview.path: { context in
                [try await customers.getCustomerOverview(.with { $0.id = id }, context: context)]
            },
            Rapport_V1_InteractionService.Method.logInteraction.path: { context in
                [try await interactions.logInteraction(.with { $0.interaction = Self.survey(customer: id) }, context: context)]
            },
            Rapport_V1_InteractionService.Method.logInteractions.path: { context in
                [try await interactions.logInteractions(
                    .with { $0.items = [.with { $0.interaction = Self.survey(customer: id) }] }, context: context)]
            },
            Rapport_V1_InteractionService.Method.listInteractions.path: { context in
                [try await interactions.listInteractions(.with { $0.customerID = id }, context: context)]
            },
            Rapport_V1_InteractionService.Method.exportInteractions.path: { context in
                let sent = Mutex<[Rapport_V1_Interaction]>([])
                let writer = ResponseWriter<Rapport_V1_Interaction> { payload in
                    let message = try Rapport_V1_Interaction(serializedBytes: payload)
                    sent.withLock { $0.append(message) }
                }
                try await interactions.exportInteractions(.init(), writer: writer, context: context)
                return sent.withLock { $0 }
            },
            Rapport_V1_InteractionService.Method.listFollowUps.path: { context in
                [try await interactions.listFollowUps(.init(), context: context)]
            },
            Rapport_V1_RecommendationService.Method.recordOfferOutcome.path: { context in
                [try await recommendations.recordOfferOutcome(
                    .with {
                        $0.customerID = id
                        $0.productCode = "SAVER_PLUS"
                        $0.outcome = .declined
                        $0.channel = .branch
                        $0.occurredAt = Google_Protobuf_Timestamp(date: ServiceFixtures.now.addingTimeInterval(-60))
                    }, context: context)]
            },
        ]
    }
}
