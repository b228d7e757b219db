import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

/// A profile's holdings are bounded: each customer write recounts the pairs of held products
/// (co-holding and next-product statistics), whose number grows with the square of the holdings,
/// and the one writer is held while it does.
@Suite("CustomerService: the holdings a profile may list")
struct HoldingsLimitTests {
    static let limit = 100

    /// `count` distinct holdings, opened on successive days.
    static func holdings(_ count: Int) -> [Rapport_V1_ProductHolding] {
        (0..<count).map { index in
            .with {
                $0.productCode = "PRODUCT_\(index)"
                $0.openedOn = .with { $0.year = 2020; $0.month = Int32(1 + index / 28 % 12); $0.day = Int32(1 + index % 28) }
            }
        }
    }

    @Test func theLimitIsAcceptedAndOneMoreIsRefusedNamingTheHolding() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            var profile = CustomerFixtures.profile()
            profile.products = Self.holdings(Self.limit)
            let created = try await client.customers.createCustomer(CustomerFixtures.create(profile))
            #expect(created.profile.products.count == Self.limit)

            profile.products = Self.holdings(Self.limit + 1)
            let refused = await rpcError { _ = try await client.customers.createCustomer(CustomerFixtures.create(profile)) }
            #expect(refused?.code == .invalidArgument)
            #expect(refused?.message.hasPrefix("profile.products[100]: ") == true)
            #expect(refused?.message.contains("limit of 100") == true)

            let update = await rpcError {
                _ = try await client.customers.updateCustomer(.with {
                    $0.id = created.id
                    $0.profile = profile
                    $0.updateMask = .with { $0.paths = ["products"] }
                })
            }
            #expect(update?.code == .invalidArgument)
            #expect(update?.message.hasPrefix("profile.products[100]: ") == true)
            let stored = try await client.customers.getCustomer(.with { $0.id = created.id })
            #expect(stored.profile.products.count == Self.limit)
        }
    }

    @Test func tooManyConsentDecisionsAreRefusedBeforeAnyIsRead() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let customer = try await client.customers.createCustomer(CustomerFixtures.create())
            // Each decision is malformed (no channel): only the count may be reported.
            let refused = await rpcError {
                _ = try await client.customers.setConsent(.with {
                    $0.customerID = customer.id
                    $0.decisions = Array(repeating: Rapport_V1_ConsentDecision(), count: 51)
                })
            }
            #expect(refused?.code == .invalidArgument)
            #expect(refused?.message.hasPrefix("decisions: must contain at most 50") == true)
        }
    }
}
