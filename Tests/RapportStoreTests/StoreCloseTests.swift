import Foundation
import GRDB
import Testing
@testable import RapportStore

/// Closing the store leaves every write in the database file.
@Suite struct StoreCloseTests {
    /// What an operator copies as a backup — the database file without its -wal — holds every
    /// write once the store has closed.
    @Test func closingLeavesEveryWriteInTheDatabaseFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        var ids: [String] = []
        for index in 0..<20 {
            ids.append(try await store.create(makeCustomer(name: "Customer \(index)"), requestID: nil).customer.id)
        }
        // Readers that have read, as a serving daemon's have: the last to close is one of them.
        for id in ids { _ = try await store.customer(id: id) }
        _ = try await store.list(CustomerQuery(), pageSize: 100, after: nil)
        try store.close()

        let copy = try TemporaryDirectory()
        defer { copy.remove() }
        let copied = (copy.path as NSString).appendingPathComponent("backup.sqlite")
        try FileManager.default.copyItem(
            atPath: (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName), toPath: copied)
        let database = try DatabaseQueue(path: copied)
        defer { try? database.close() }
        let stored = try await database.read { try Set(String.fetchAll($0, sql: "SELECT id FROM customers")) }
        #expect(stored == Set(ids))
    }
}
