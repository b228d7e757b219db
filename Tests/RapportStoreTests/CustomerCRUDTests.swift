import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct CustomerCRUDTests {
    static let today = CalendarDate(utcDayOf: Date())

    @Test func createsAndReadsByIDAndExternalRef() async throws {
        try await withStore { store in
            let outcome = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: nil)
            guard case .created(let created) = outcome else {
                Issue.record("expected .created, got \(outcome)")
                return
            }
            #expect(!created.etag.isEmpty)
            #expect(try await store.customer(id: created.id) == created)
            #expect(try await store.customer(externalRef: "CBS-1") == created)
            #expect(try await store.customer(id: "cus_missing") == nil)
            #expect(try await store.customer(externalRef: "CBS-missing") == nil)
        }
    }

    @Test func keepsTimesToTheMillisecond() async throws {
        try await withStore { store in
            let now = Date(timeIntervalSince1970: 1_700_000_000.123_456)
            let created = try await store.create(makeCustomer(now: now), requestID: nil).customer
            #expect(created.createdAt == Date(timeIntervalSince1970: 1_700_000_000.123))
            #expect(try await store.customer(id: created.id)?.createdAt == created.createdAt)
        }
    }

    @Test func rejectsADuplicateExternalRef() async throws {
        try await withStore { store in
            _ = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: nil)
            let error = await storeError { _ = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: nil) }
            #expect(error?.kind == .alreadyExists(field: "external_ref"))
        }
    }

    @Test func customersWithoutExternalRefDoNotClash() async throws {
        try await withStore { store in
            _ = try await store.create(makeCustomer(externalRef: nil), requestID: nil)
            _ = try await store.create(makeCustomer(externalRef: nil), requestID: nil)
            let empty = try await store.create(makeCustomer(externalRef: ""), requestID: "")
            _ = try await store.create(makeCustomer(externalRef: ""), requestID: "")
            #expect(empty.customer.externalRef == nil)
            #expect(try await store.customer(externalRef: "") == nil)
        }
    }

    @Test func rejectsADuplicateID() async throws {
        try await withStore { store in
            let customer = makeCustomer()
            _ = try await store.create(customer, requestID: nil)
            let error = await storeError { _ = try await store.create(customer, requestID: nil) }
            #expect(error?.kind == .alreadyExists(field: "id"))
        }
    }

    @Test func refusesARequestIDReusedForAnotherPerson() async throws {
        try await withStore { store in
            let first = try await store.create(makeCustomer(name: "First"), requestID: "req-1")
            let error = await storeError { _ = try await store.create(makeCustomer(name: "Second"), requestID: "req-1") }
            #expect(error?.kind == .requestConflict(field: "request_id"))
            #expect(error?.message.contains("First") == false, "never echo the other customer's data")
            let page = try await store.list(CustomerQuery(), pageSize: 10, after: nil)
            #expect(page.customers.map(\.id) == [first.customer.id])
        }
    }

    @Test func replaysACreateWithARepeatedRequestID() async throws {
        try await withStore { store in
            let first = try await store.create(makeCustomer(name: "First"), requestID: "req-1")
            // A retry carries the same person; the store made the id of the first attempt.
            let second = try await store.create(makeCustomer(name: "First"), requestID: "req-1")
            #expect(second == .replayed(first.customer))
            let page = try await store.list(CustomerQuery(), pageSize: 10, after: nil)
            #expect(page.customers.map(\.id) == [first.customer.id])
            let other = try await store.create(makeCustomer(name: "Other"), requestID: "req-2")
            guard case .created = other else {
                Issue.record("a new request id must create")
                return
            }
        }
    }

    @Test func updatesWithTheCurrentEtag() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: nil).customer
            let updated = try await store.update(id: created.id, expectedEtag: created.etag, today: Self.today) { customer, _ in
                customer.profile.email = "new@example.com"
                customer.segmentation.valueTier = .affluent
                customer.id = "cus_hijacked"
                customer.createdAt = .distantPast
            }
            #expect(updated.id == created.id)
            #expect(updated.createdAt == created.createdAt)
            #expect(updated.etag != created.etag)
            #expect(updated.updatedAt >= created.updatedAt)
            #expect(updated.profile.email == "new@example.com")
            #expect(updated.segmentation.valueTier == .affluent)
            #expect(try await store.customer(id: created.id) == updated)
            #expect(try await store.customer(id: "cus_hijacked") == nil)

            let unconditional = try await store.update(id: created.id, expectedEtag: nil, today: Self.today) { customer, _ in customer.profile.occupation = "Engineer" }
            #expect(unconditional.etag != updated.etag)
        }
    }

    @Test func aStaleEtagChangesNothing() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            let current = try await store.update(id: created.id, expectedEtag: created.etag, today: Self.today) { customer, _ in customer.profile.phone = "+441234567890" }
            let error = await storeError {
                _ = try await store.update(id: created.id, expectedEtag: created.etag, today: Self.today) { customer, _ in customer.profile.phone = "+449999999999" }
            }
            #expect(error?.kind == .etagMismatch)
            #expect(try await store.customer(id: created.id) == current)
        }
    }

    @Test func rethrowsTheChangeErrorUnchangedAndWritesNothing() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            await #expect(throws: RejectedChange(field: "email")) {
                _ = try await store.update(id: created.id, expectedEtag: created.etag, today: Self.today) { customer, _ in
                    customer.profile.email = "changed@example.com"
                    throw RejectedChange(field: "email")
                }
            }
            #expect(try await store.customer(id: created.id) == created)
        }
    }

    @Test func updateReportsMissingCustomersAndExternalRefClashes() async throws {
        try await withStore { store in
            let missing = await storeError { _ = try await store.update(id: "cus_missing", expectedEtag: nil, today: Self.today) { _, _ in } }
            #expect(missing?.kind == .notFound)

            _ = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: nil)
            let other = try await store.create(makeCustomer(externalRef: "CBS-2"), requestID: nil).customer
            let clash = await storeError {
                _ = try await store.update(id: other.id, expectedEtag: other.etag, today: Self.today) { customer, _ in customer.externalRef = "CBS-1" }
            }
            #expect(clash?.kind == .alreadyExists(field: "external_ref"))
            #expect(try await store.customer(id: other.id) == other)
        }
    }

    @Test func exactlyOneOfTwoConcurrentUpdatersWithTheSameEtagWins() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            async let first = Self.outcome {
                try await store.update(id: created.id, expectedEtag: created.etag, today: Self.today) { customer, _ in customer.profile.occupation = "first" }
            }
            async let second = Self.outcome {
                try await store.update(id: created.id, expectedEtag: created.etag, today: Self.today) { customer, _ in customer.profile.occupation = "second" }
            }
            let outcomes = await [first, second]
            let winners = outcomes.compactMap { try? $0.get() }
            let losers = outcomes.compactMap { result -> StoreError? in
                if case .failure(let error) = result { return error as? StoreError }
                return nil
            }
            #expect(winners.count == 1)
            #expect(losers.map(\.kind) == [.etagMismatch])
            #expect(try await store.customer(id: created.id) == winners.first)
        }
    }

    @Test func deleteRemovesTheCustomerConsentAndIdempotencyRows() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: "req-1").customer
            let keep = try await store.create(makeCustomer(externalRef: "CBS-2"), requestID: "req-2").customer
            _ = try await store.appendConsent(customerID: created.id, [ConsentFixtures.marketingEmail(granted: true)])
            _ = try await store.appendConsent(customerID: keep.id, [ConsentFixtures.marketingEmail(granted: true)])

            let stale = await storeError { try await store.delete(id: created.id, expectedEtag: "stale") }
            #expect(stale?.kind == .etagMismatch)
            #expect(try await store.customer(id: created.id) != nil)

            try await store.delete(id: created.id, expectedEtag: created.etag)
            #expect(try await store.customer(id: created.id) == nil)
            #expect(try await store.count("consent_decisions", where: "customer_id", is: created.id) == 0)
            #expect(try await store.count("create_requests", where: "customer_id", is: created.id) == 0)
            #expect(try await store.count("consent_decisions", where: "customer_id", is: keep.id) == 1)
            #expect(try await store.count("create_requests", where: "customer_id", is: keep.id) == 1)

            let missing = await storeError { try await store.delete(id: created.id, expectedEtag: nil) }
            #expect(missing?.kind == .notFound)
            // The external ref is free again; the erased customer's request id is refused, never replayed.
            let replay = await storeError { _ = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: "req-1") }
            #expect(replay?.kind == .preconditionFailed)
            let again = try await store.create(makeCustomer(externalRef: "CBS-1"), requestID: "req-3")
            guard case .created = again else {
                Issue.record("a new request id creates a customer with the erased customer's external ref")
                return
            }
        }
    }

    private static func outcome(_ body: () async throws -> Customer) async -> Result<Customer, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}
