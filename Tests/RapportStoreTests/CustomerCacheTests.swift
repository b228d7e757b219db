import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// The decoded-customer cache behind point reads never serves a value older than a commit.
@Suite struct CustomerCacheTests {
    static let today = CalendarDate(utcDayOf: Date())

    @Test func readsSeeEveryWriteThroughTheStore() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            #expect(try await store.customer(id: created.id) == created)
            #expect(store.customerCache.customer(id: created.id) == created)

            let updated = try await store.update(id: created.id, expectedEtag: nil, today: Self.today) { customer, _ in
                customer.profile.occupation = "Engineer"
            }
            #expect(store.customerCache.customer(id: created.id) == nil)
            #expect(try await store.customer(id: created.id) == updated)

            try await store.delete(id: created.id, expectedEtag: nil)
            #expect(try await store.customer(id: created.id) == nil)
        }
    }

    /// Coherence comes from SQLite's change reports, not from the write paths: even SQL the
    /// store's methods never run invalidates the entry.
    @Test func aChangeMadeWithPlainSQLInvalidatesTheEntry() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            _ = try await store.customer(id: created.id)
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE customers SET etag = 'changed' WHERE id = ?", arguments: [created.id])
            }
            #expect(try await store.customer(id: created.id)?.etag == "changed")
        }
    }

    /// A reader that read before a commit (an older snapshot) must not store its value after it.
    @Test func aValueReadBeforeACommitIsNotStoredAfterIt() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            let generationBeforeRead = store.customerCache.generation
            _ = try await store.update(id: created.id, expectedEtag: nil, today: Self.today) { customer, _ in
                customer.profile.occupation = "Engineer"
            }
            store.customerCache.store(created, rowID: 1, readAt: generationBeforeRead)
            #expect(store.customerCache.customer(id: created.id) == nil)
            #expect(try await store.customer(id: created.id)?.profile.occupation == "Engineer")
        }
    }

    @Test func aRefusedUpdateLeavesTheEntry() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            _ = try await store.customer(id: created.id)
            let rejected = await storeError {
                _ = try await store.update(id: created.id, expectedEtag: "stale", today: Self.today) { customer, _ in
                    customer.profile.occupation = "never stored"
                }
            }
            #expect(rejected?.kind == .etagMismatch)
            #expect(store.customerCache.customer(id: created.id) == created)
        }
    }

    @Test func aFullCacheStartsOverAndZeroCapacityTurnsItOff() {
        let cache = CustomerCache(capacity: 2)
        let customers = (0..<3).map { _ in makeCustomer() }
        for (index, customer) in customers.enumerated() {
            cache.store(customer, rowID: Int64(index), readAt: cache.generation)
        }
        #expect(cache.customer(id: customers[0].id) == nil)
        #expect(cache.customer(id: customers[2].id) == customers[2])

        let off = CustomerCache(capacity: 0)
        off.store(customers[0], rowID: 1, readAt: off.generation)
        #expect(off.customer(id: customers[0].id) == nil)
    }
}
