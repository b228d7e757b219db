import GRDB
import Testing
@testable import RapportStore

/// `InteractionWriter.attempt`: one entry's failure undoes only that entry's writes.
@Suite struct SavepointAttemptTests {
    @Test func aFailedEntryRollsBackItsOwnWritesOnly() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (value INTEGER)")
        }
        let results = try queue.write { db -> [Result<Int, StoreError>] in
            let first = try InteractionWriter.attempt(db) { () throws -> Int in
                try db.execute(sql: "INSERT INTO t VALUES (1)")
                return 1
            }
            let second = try InteractionWriter.attempt(db) { () throws -> Int in
                try db.execute(sql: "INSERT INTO t VALUES (2)")
                throw StoreError(.preconditionFailed, "entry 2 refused after writing")
            }
            let third = try InteractionWriter.attempt(db) { () throws -> Int in
                try db.execute(sql: "INSERT INTO t VALUES (3)")
                return 3
            }
            // Still inside the transaction the entries share.
            #expect(db.isInsideTransaction)
            return [first, second, third]
        }
        #expect((try? results[0].get()) == 1)
        #expect((try? results[2].get()) == 3)
        if case .failure(let error) = results[1] {
            #expect(error.kind == .preconditionFailed)
        } else {
            Issue.record("entry 2 should have failed")
        }
        let values = try queue.read { db in try Int.fetchAll(db, sql: "SELECT value FROM t ORDER BY value") }
        #expect(values == [1, 3])
    }

    /// A failure of the database itself is not one entry's: it is rethrown for the whole group.
    @Test func aDatabaseFailureIsRethrown() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (value INTEGER)") }
        #expect(throws: StoreError.self) {
            try queue.write { db in
                _ = try InteractionWriter.attempt(db) { () throws -> Int in
                    try db.execute(sql: "INSERT INTO t VALUES (1)")
                    throw StoreError(.diskFull, "full")
                }
            }
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 0)
    }
}
