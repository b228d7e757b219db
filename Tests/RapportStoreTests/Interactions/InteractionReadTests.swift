import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct InteractionReadTests {
    /// 3,000 interactions of one customer (timestamps shared by up to 7 rows, ids not in time
    /// order) and a few of another customer, who must never show up.
    static func population(_ store: SQLiteCustomerStore) async throws -> (customer: String, log: [Interaction]) {
        let ids = try await ReadFixture.customers(store, count: 2)
        let kinds: [InteractionKind] = [.inquiry, .transaction, .complaint, .surveyResponse, .note, .offerAccepted]
        let channels: [Channel] = [.branch, .phone, .mobileApp, .web, .email]
        let log = (0..<3000).map { index in
            ReadFixture.interaction(
                ReadFixture.id(index), customer: ids[0], kind: kinds[index % kinds.count],
                channel: channels[(index / 3) % channels.count],
                at: ReadFixture.time(Int64((index * 7919) % 3000 / 7) * 60_000), score: index % 11)
        }
        let other = (0..<50).map { ReadFixture.interaction(ReadFixture.id(10_000 + $0), customer: ids[1], at: ReadFixture.time(0)) }
        try await ReadFixture.load(log + other, into: store)
        return (ids[0], log)
    }

    /// Every page of `filter` through real page tokens, checking each page's size.
    static func pageThrough(
        _ store: SQLiteCustomerStore, customer: String, filter: InteractionFilter, pageSize: Int
    ) async throws -> [Interaction] {
        var seen: [Interaction] = []
        var token: String?
        repeat {
            let cursor = try token.map { try store.pageTokens.cursor($0, customerID: customer, filter: filter) }
            let page = try await store.interactions(customerID: customer, filter: filter, pageSize: pageSize, after: cursor)
            #expect(page.interactions.count == pageSize || page.next == nil)
            seen += page.interactions
            token = page.next.map { store.pageTokens.token(for: $0, customerID: customer, filter: filter) }
        } while token != nil
        return seen
    }

    @Test func pagesOverThousandsWithEqualTimestampsWithoutDuplicatesOrGaps() async throws {
        try await withStore(synchronous: .normal) { store in
            let (customer, log) = try await Self.population(store)
            let expected = log.sorted(by: newestFirst)
            for pageSize in [1000, 97, 7] {
                let seen = try await Self.pageThrough(store, customer: customer, filter: InteractionFilter(), pageSize: pageSize)
                #expect(seen.map(\.id) == expected.map(\.id), "page size \(pageSize)")
            }
            // What is read back is what was written.
            let first = try await store.interactions(customerID: customer, filter: InteractionFilter(), pageSize: 5, after: nil)
            #expect(first.interactions == Array(expected.prefix(5)))
        }
    }

    static let filters: [InteractionFilter] = [
        InteractionFilter(kinds: [.complaint]),
        InteractionFilter(kinds: [.surveyResponse, .note]),
        InteractionFilter(channels: [.phone]),
        InteractionFilter(channels: [.web, .email], kinds: [.inquiry, .transaction, .complaint]),
        InteractionFilter(occurredFrom: ReadFixture.time(60 * 60_000), occurredBefore: ReadFixture.time(300 * 60_000)),
        InteractionFilter(occurredFrom: ReadFixture.time(100 * 60_000), kinds: [.transaction]),
        InteractionFilter(occurredBefore: ReadFixture.time(50 * 60_000), channels: [.branch]),
        InteractionFilter(occurredFrom: ReadFixture.time(200 * 60_000), occurredBefore: ReadFixture.time(200 * 60_000)),
        InteractionFilter(kinds: [.followUp]),
        InteractionFilter(kinds: [.inquiry]),
    ]

    @Test func filtersReturnExactlyTheirMatchesInOrder() async throws {
        try await withStore(synchronous: .normal) { store in
            let (customer, log) = try await Self.population(store)
            for filter in Self.filters {
                let expected = log.filter { matches($0, filter) }.sorted(by: newestFirst).map(\.id)
                let seen = try await Self.pageThrough(store, customer: customer, filter: filter, pageSize: 41)
                #expect(seen.map(\.id) == expected, "filter \(filter)")
            }
        }
    }

    @Test func aCursorPastTheUpperBoundStillStopsAtIt() async throws {
        try await withStore { store in
            let customer = try await ReadFixture.customers(store, count: 1)[0]
            let log = (0..<10).map { ReadFixture.interaction(ReadFixture.id($0), customer: customer, at: ReadFixture.time(Int64($0) * 1000)) }
            try await ReadFixture.load(log, into: store)
            let filter = InteractionFilter(occurredBefore: ReadFixture.time(5000))
            let far = InteractionCursor(occurredAtMillis: Int64.max / 2, id: "int_zzz")
            let page = try await store.interactions(customerID: customer, filter: filter, pageSize: 100, after: far)
            #expect(page.interactions.map(\.id) == (0..<5).reversed().map(ReadFixture.id))
        }
    }

    @Test func pageSizeIsClampedAndAnUnknownCustomerIsNotFound() async throws {
        try await withStore(synchronous: .normal) { store in
            let (customer, _) = try await Self.population(store)
            let none = try await store.interactions(customerID: customer, filter: InteractionFilter(), pageSize: 0, after: nil)
            #expect(none.interactions.count == 1)
            let most = try await store.interactions(customerID: customer, filter: InteractionFilter(), pageSize: 5000, after: nil)
            #expect(most.interactions.count == InteractionFilter.maximumPageSize)
            #expect(most.next != nil)

            let quiet = try await ReadFixture.customers(store, count: 1)[0]
            let empty = try await store.interactions(customerID: quiet, filter: InteractionFilter(), pageSize: 10, after: nil)
            #expect(empty == InteractionPage(interactions: [], next: nil))
            let error = await storeError {
                _ = try await store.interactions(customerID: "cus_missing", filter: InteractionFilter(), pageSize: 10, after: nil)
            }
            #expect(error?.kind == .notFound)
        }
    }
}
