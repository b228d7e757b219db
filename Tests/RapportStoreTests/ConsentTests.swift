import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct ConsentTests {
    @Test func appendsAndReturnsTheHistoryOldestFirst() async throws {
        try await withStore { store in
            let customer = try await store.create(makeCustomer(), requestID: nil).customer
            #expect(try await store.consentHistory(customerID: customer.id).isEmpty)

            let given = ConsentFixtures.marketingEmail(granted: true, at: 1_700_000_000)
            let sms = ConsentDecision(
                channel: .sms, purpose: .service, granted: true, decidedAt: Date(timeIntervalSince1970: 1_700_000_100.5),
                source: .system, sourceDetail: "mobile-app", recordedBy: "app")
            let withdrawn = ConsentFixtures.marketingEmail(granted: false, at: 1_600_000_000)

            #expect(try await store.appendConsent(customerID: customer.id, [given, sms]) == [given, sms])
            // Recorded order wins, not decision time: the history is what happened to the record.
            #expect(try await store.appendConsent(customerID: customer.id, [withdrawn]) == [given, sms, withdrawn])
            #expect(try await store.consentHistory(customerID: customer.id) == [given, sms, withdrawn])
            #expect(try await store.appendConsent(customerID: customer.id, []) == [given, sms, withdrawn])
        }
    }

    @Test func reportsAMissingCustomer() async throws {
        try await withStore { store in
            let append = await storeError {
                _ = try await store.appendConsent(customerID: "cus_missing", [ConsentFixtures.marketingEmail(granted: true)])
            }
            #expect(append?.kind == .notFound)
            let history = await storeError { _ = try await store.consentHistory(customerID: "cus_missing") }
            #expect(history?.kind == .notFound)
        }
    }
}
