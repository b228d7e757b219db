import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct KeyRotationTests {
    /// Rotation re-wraps every key while customers are created and interactions logged beside it;
    /// afterwards the store opens with the new key alone, every customer reads back, and the old
    /// key no longer opens it.
    @Test func rotatesUnderConcurrentWritesAndReopensWithTheNewKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let old = MasterKey.random()
        let new = MasterKey.random()
        var configuration = StoreConfiguration(dataDirectory: directory.path)
        configuration.masterKey = .key(old)
        let store = try SQLiteCustomerStore(configuration: configuration)
        let seeded = try await store.importCustomers(
            (0..<(SQLiteCustomerStore.rotationBatchSize * 2 + 7)).map { makeCustomer(name: "Seeded \($0)") })
        let (rotation, written) = try await withThrowingTaskGroup(of: [Customer].self) { group in
            group.addTask {
                var written: [Customer] = []
                for index in 0..<40 {
                    let customer = try await store.create(makeCustomer(name: "During \(index)"), requestID: nil).customer
                    try await LogFixture.logged(store, LogFixture.interaction(customer.id))
                    written.append(customer)
                }
                return written
            }
            let rotation = try await store.rotateMasterKey(to: new)
            var written: [Customer] = []
            for try await batch in group { written += batch }
            return (rotation, written)
        }
        #expect(rotation.previousKeyID == old.id)
        #expect(rotation.newKeyID == new.id)
        #expect(rotation.rewrapped >= seeded.count + 1)
        let masters = try await store.keyring.pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT master_key_id FROM customer_keys UNION SELECT master_key_id FROM store_keys")
        }
        #expect(masters == [new.id])
        try store.close()

        configuration.masterKey = .key(new)
        let reopened = try SQLiteCustomerStore(configuration: configuration)
        for customer in [seeded.first, seeded.last, written.first, written.last].compactMap({ $0 }) {
            #expect(try await reopened.customer(id: customer.id)?.profile == customer.profile)
        }
        let listed = try await reopened.list(CustomerQuery(namePrefix: "during"), pageSize: 100, after: nil)
        #expect(listed.customers.count == written.count)
        try reopened.close()

        configuration.masterKey = .key(old)
        let refused = await storeError { _ = try SQLiteCustomerStore(configuration: configuration) }
        #expect(refused?.kind == .unavailable)
        #expect(refused?.message.contains(new.id) == true)
    }

    /// An interrupted rotation (some keys under each master key) opens with both keys given, and
    /// rotating again finishes it.
    @Test func finishesAnInterruptedRotation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let old = MasterKey.random()
        let new = MasterKey.random()
        var configuration = StoreConfiguration(dataDirectory: directory.path)
        configuration.masterKey = .key(old)
        let store = try SQLiteCustomerStore(configuration: configuration)
        let customers = try await store.importCustomers((0..<3).map { makeCustomer(name: "Half \($0)") })
        // What a crash mid-rotation leaves: one key re-wrapped, the others not.
        try await store.keyring.pool.write { db in
            let wrapped = try Data.fetchOne(
                db, sql: "SELECT wrapped FROM customer_keys WHERE customer_id = ?", arguments: [customers[0].id])
            let key = try Keyring.unwrap(try #require(wrapped), under: old)
            try db.execute(
                sql: "UPDATE customer_keys SET master_key_id = ?, wrapped = ? WHERE customer_id = ?",
                arguments: [new.id, try Keyring.wrap(key, under: new), customers[0].id])
        }
        try store.close()

        configuration.masterKey = .key(new)
        let alone = await storeError { _ = try SQLiteCustomerStore(configuration: configuration) }
        #expect(alone?.kind == .unavailable)
        configuration.previousMasterKeys = [.key(old)]
        let resumed = try SQLiteCustomerStore(configuration: configuration)
        for customer in customers {
            #expect(try await resumed.customer(id: customer.id)?.profile == customer.profile)
        }
        let rotation = try await resumed.rotateMasterKey(to: new)
        #expect(rotation.rewrapped == 3)
        try resumed.close()
        configuration.previousMasterKeys = []
        let finished = try SQLiteCustomerStore(configuration: configuration)
        #expect(try await finished.customer(id: customers[2].id)?.profile == customers[2].profile)
        try finished.close()
    }
}
