import Foundation
import RapportDomain
@testable import RapportStore

/// Test support for offer outcomes: entries logged as the service will log them.
enum OfferFixture {
    /// An outcome for `product`, `daysAgo` days before `LogFixture.now`, with its effect set.
    static func entry(
        _ customerID: String, _ outcome: OfferOutcome, product: String = "CARD", reasons: [String] = [],
        channel: Channel = .branch, daysAgo: Double = 0, requestID: String? = nil
    ) -> NewInteraction {
        var interaction = LogFixture.interaction(customerID, outcome.interactionKind, channel: channel, daysAgo: daysAgo)
        interaction.productCode = product
        return NewInteraction(
            interaction: interaction, requestID: requestID, offer: OfferOutcomeEffect(outcome: outcome, reasonCodes: reasons))
    }

    /// Logs the entry on the fixed clock.
    @discardableResult
    static func log(_ store: SQLiteCustomerStore, _ entry: NewInteraction) async throws -> LogOutcome {
        try await store.log(entry, context: LogFixture.context())
    }

    /// A stored customer (holding CURRENT) who has consented to marketing by email, so offers may be presented.
    static func consentingCustomer(_ store: SQLiteCustomerStore) async throws -> Customer {
        let customer = try await LogFixture.customer(store)
        _ = try await store.appendConsent(customerID: customer.id, [ConsentFixtures.marketingEmail(granted: true)])
        return customer
    }
}
