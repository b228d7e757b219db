import Foundation
import RapportClient
import RapportProto
import SwiftProtobuf

/// A small bank for recommendation tests: a catalog of five products and customers holding them.
enum RecommendationWorld {
    static let catalog: [Rapport_V1_Product] = [
        product("CURRENT_ACCOUNT", "Current account", .currentAccount),
        product("CREDIT_CARD", "Credit card", .card),
        product("SAVINGS", "Easy saver", .deposit, cooldownDays: 30),
        product("MORTGAGE", "Fixed-rate mortgage", .mortgage, minAge: 21),
        product("YOUTH_SAVER", "Youth saver", .deposit, maxAge: 25),
    ]

    static func product(
        _ code: String, _ name: String, _ category: Rapport_V1_ProductCategory, cooldownDays: Int32 = 0, minAge: Int32 = 0,
        maxAge: Int32 = 0
    ) -> Rapport_V1_Product {
        .with {
            $0.code = code
            $0.name = name
            $0.category = category
            $0.declineCooldownDays = cooldownDays
            $0.eligibility = .with {
                $0.minAge = minAge
                $0.maxAge = maxAge
            }
        }
    }

    /// Installs the catalog, and three customers who hold a current account and savings, so that
    /// savings is what current-account holders hold.
    static func install(_ harness: InteractionHarness) async throws {
        for product in catalog {
            _ = try await harness.client.recommendations.upsertProduct(.with { $0.product = product })
        }
        for index in 0..<3 {
            var profile = CustomerFixtures.profile(name: "Holder \(index)")
            profile.products.append(.with {
                $0.productCode = "SAVINGS"
                $0.openedOn = date(2018, 5, 1)
            })
            _ = try await harness.client.customers.createCustomer(CustomerFixtures.create(profile))
        }
    }

    /// A customer holding a current account, with marketing consent by email.
    static func customer(_ harness: InteractionHarness) async throws -> String {
        let customer = try await harness.customer()
        try await harness.setConsent(customer.id, .email, granted: true)
        return customer.id
    }

    /// A calendar date on the wire.
    static func date(_ year: Int32, _ month: Int32, _ day: Int32) -> Rapport_V1_Date {
        .with {
            $0.year = year
            $0.month = month
            $0.day = day
        }
    }

    static func request(
        _ customerID: String, channel: Rapport_V1_Channel = .email, max: Int32 = 10,
        category: Rapport_V1_ProductCategory = .unspecified, asOf: (Int32, Int32, Int32)? = nil
    ) -> Rapport_V1_GetRecommendationsRequest {
        .with {
            $0.customerID = customerID
            $0.channel = channel
            $0.maxResults = max
            $0.category = category
            if let (year, month, day) = asOf { $0.asOf = date(year, month, day) }
        }
    }

    static func outcome(
        _ customerID: String, _ product: String, _ outcome: Rapport_V1_OfferOutcome, reasons: [String] = [],
        requestID: String = "", channel: Rapport_V1_Channel = .email
    ) -> Rapport_V1_RecordOfferOutcomeRequest {
        .with {
            $0.customerID = customerID
            $0.productCode = product
            $0.outcome = outcome
            $0.channel = channel
            $0.reasonCodes = reasons
            $0.requestID = requestID
            $0.employeeID = "staff-17"
        }
    }
}
