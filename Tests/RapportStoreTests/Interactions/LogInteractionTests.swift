import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct LogInteractionTests {
    @Test func logsOnceAndReplaysARepeatedRequestID() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let first = LogFixture.interaction(customer.id, .inquiry)
            #expect(try await LogFixture.log(store, first, requestID: "req-1") == .recorded(first))
            let retry = LogFixture.interaction(customer.id, .complaint)
            #expect(try await LogFixture.log(store, retry, requestID: "req-1") == .replayed(first))
            #expect(try await store.count("interactions", where: "customer_id", is: customer.id) == 1)
            #expect(try await store.count("interaction_requests", where: "request_id", is: "req-1") == 1)
            // An empty request id is none: both are recorded.
            try await LogFixture.log(store, LogFixture.interaction(customer.id), requestID: "")
            try await LogFixture.log(store, LogFixture.interaction(customer.id), requestID: "")
            #expect(try await store.count("interactions", where: "customer_id", is: customer.id) == 3)
            #expect(try await store.rowCount("interaction_requests") == 1)
        }
    }

    @Test func refusesAnUnknownCustomerNamingOnlyTheID() async throws {
        try await withStore { store in
            let error = await storeError { _ = try await LogFixture.log(store, LogFixture.interaction("cus_missing")) }
            #expect(error?.kind == .notFound)
            #expect(error?.message == "no customer with id cus_missing")
            let stored = try await store.rowCount("interactions")
            #expect(stored == 0)
        }
    }

    @Test func refusesAFollowUpOfAMissingOrAnotherCustomersInteraction() async throws {
        try await withStore { store in
            let ada = try await LogFixture.customer(store)
            let bob = try await LogFixture.customer(store)
            let bobsComplaint = LogFixture.interaction(bob.id, .complaint)
            try await LogFixture.log(store, bobsComplaint)
            for target in ["int_missing", bobsComplaint.id] {
                let error = await storeError {
                    _ = try await LogFixture.log(store, LogFixture.interaction(ada.id, .followUp, followUpOf: target))
                }
                #expect(error?.kind == .invalidReference(field: "interaction.follow_up_of"))
            }
            #expect(try await store.count("interactions", where: "customer_id", is: ada.id) == 0)
            #expect(try await store.count("open_follow_ups", where: "interaction_id", is: bobsComplaint.id) == 1)
        }
    }

    @Test(arguments: [InteractionKind.marketingContact, .offerPresented])
    func marketingNeedsConsentOnItsChannel(_ kind: InteractionKind) async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let refused = await storeError { _ = try await LogFixture.log(store, LogFixture.interaction(customer.id, kind, channel: .email)) }
            #expect(refused?.kind == .preconditionFailed)
            #expect(refused?.message.contains("consent") == true)

            _ = try await store.appendConsent(customerID: customer.id, [ConsentFixtures.marketingEmail(granted: true)])
            try await LogFixture.log(store, LogFixture.interaction(customer.id, kind, channel: .email))
            // Email consent says nothing about SMS or phone (call centre maps to phone).
            for channel in [Channel.sms, .callCentre, .mobileApp] {
                let error = await storeError { _ = try await LogFixture.log(store, LogFixture.interaction(customer.id, kind, channel: channel)) }
                #expect(error?.kind == .preconditionFailed, "channel \(channel)")
            }
            // Channels without a consent channel of their own accept consent on any one.
            try await LogFixture.log(store, LogFixture.interaction(customer.id, kind, channel: .branch))

            _ = try await store.appendConsent(customerID: customer.id, [ConsentFixtures.marketingEmail(granted: false, at: 1_700_000_100)])
            for channel in [Channel.email, .branch] {
                let error = await storeError { _ = try await LogFixture.log(store, LogFixture.interaction(customer.id, kind, channel: channel)) }
                #expect(error?.kind == .preconditionFailed, "channel \(channel) after withdrawal")
            }
            #expect(try await store.count("interactions", where: "customer_id", is: customer.id) == 2)
        }
    }

    @Test func nonMarketingNeedsNoConsent() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            for kind in [InteractionKind.offerAccepted, .offerDeclined, .inquiry, .note] {
                try await LogFixture.log(store, LogFixture.interaction(customer.id, kind, channel: .sms))
            }
            #expect(try await store.count("interactions", where: "customer_id", is: customer.id) == 4)
        }
    }
}
