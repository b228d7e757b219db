import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct LogInteractionTests {
    @Test func logsOnceAndReplaysARepeatedRequestID() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let draft = LogFixture.interaction(customer.id, .inquiry)
            let first = try await LogFixture.logged(store, draft, requestID: "req-1")
            #expect(first.id != draft.id && first.id.hasPrefix("int_"), "the store assigns the id")
            var retry = LogFixture.interaction(customer.id, .inquiry)
            retry.summary = "the same contact, sent again"
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

    @Test func refusesARequestIDReusedForAnotherCustomerOrContact() async throws {
        try await withStore { store in
            let ada = try await LogFixture.customer(store)
            let bob = try await LogFixture.customer(store)
            try await LogFixture.log(store, LogFixture.interaction(ada.id, .complaint), requestID: "req-1")
            let reuses = [
                LogFixture.interaction(bob.id, .complaint),
                LogFixture.interaction(ada.id, .inquiry),
                LogFixture.interaction(ada.id, .complaint, channel: .email),
            ]
            for reuse in reuses {
                let error = await storeError { _ = try await LogFixture.log(store, reuse, requestID: "req-1") }
                #expect(error?.kind == .requestConflict(field: "request_id"), "\(reuse.customerID) \(reuse.kind) \(reuse.channel)")
                #expect(error?.message.contains(ada.id) == false, "never name the other customer")
            }
            #expect(try await store.rowCount("interactions") == 1)
        }
    }

    @Test func idsIncreaseInCommitOrderWhateverTheClockSays() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            var ids: [String] = []
            // The second call's clock is a day behind the first's: its id still sorts after.
            for now in [LogFixture.now, LogFixture.now.addingTimeInterval(-LogFixture.day), LogFixture.now] {
                let outcome = try await store.log(
                    NewInteraction(interaction: LogFixture.interaction(customer.id), requestID: nil), context: LogFixture.context(now: now))
                ids.append(outcome.interaction.id)
            }
            #expect(ids == ids.sorted() && Set(ids).count == 3)
        }
    }

    @Test func loggedIdsSortAfterImportedAndStoredOnesAcrossAReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = StoreConfiguration(dataDirectory: directory.path)
        let future = LogFixture.now.addingTimeInterval(365 * LogFixture.day)
        var imported = LogFixture.interaction("", .inquiry)
        imported.id = "int_" + SortableIDGenerator().next(now: future)
        let customerID: String
        do {
            let store = try SQLiteCustomerStore(configuration: configuration)
            defer { try? store.close() }
            customerID = try await LogFixture.customer(store).id
            imported.customerID = customerID
            try await store.importInteractions([imported], context: LogFixture.context())
            #expect(try await LogFixture.logged(store, LogFixture.interaction(customerID)).id > imported.id)
        }
        // A new process starts its generator afresh: it must begin after the newest stored id.
        let reopened = try SQLiteCustomerStore(configuration: configuration)
        defer { try? reopened.close() }
        let newest = try await reopened.integer("SELECT COUNT(*) FROM interactions")
        #expect(newest == 2)
        let stored = try await reopened.pool.read { try String.fetchOne($0, sql: "SELECT max(id) FROM interactions") }
        let next = try await LogFixture.logged(reopened, LogFixture.interaction(customerID))
        #expect(next.id > (stored ?? ""))
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
            let bobsComplaint = try await LogFixture.logged(store, LogFixture.interaction(bob.id, .complaint))
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

@Suite struct ClosedStoreTests {
    /// After `close()` every write, whichever path it takes, is UNAVAILABLE-shaped, never "other".
    @Test func writesOnAClosedStoreAreUnavailable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        let customer = try await LogFixture.customer(store)
        try store.close()
        let entry = NewInteraction(interaction: LogFixture.interaction(customer.id), requestID: nil)
        let single = await storeError { _ = try await store.log(entry, context: LogFixture.context()) }
        let batch = await storeError { _ = try await store.logBatch([entry], context: LogFixture.context()) }
        let create = await storeError { _ = try await store.create(makeCustomer(), requestID: nil) }
        for (path, error) in [("log", single), ("logBatch", batch), ("create", create)] {
            #expect(error?.kind == .unavailable, "\(path): \(String(describing: error)) cause: \(String(describing: error?.cause))")
        }
    }
}
