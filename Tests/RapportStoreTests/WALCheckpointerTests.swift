import Foundation
import GRDB
import Testing
@testable import RapportStore

/// The write-ahead log is copied into the database file in the background once it is large, by
/// the writer itself once it is very large, and not at all while it is small.
@Suite struct WALCheckpointerTests {
    /// A WAL database with an empty table `t` already in its file, and a checkpointer on it.
    struct Fixture {
        let directory: TemporaryDirectory
        let path: String
        let pool: DatabasePool
        let checkpointer: WALCheckpointer

        init(triggerFrames: Int32, backstopFrames: Int32) throws {
            directory = try TemporaryDirectory()
            path = (directory.path as NSString).appendingPathComponent("wal.sqlite")
            pool = try DatabasePool(path: path)
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
                _ = try db.checkpoint(.truncate)
            }
            checkpointer = try WALCheckpointer(
                writer: pool, path: path, triggerFrames: triggerFrames, backstopFrames: backstopFrames)
        }

        /// Commits `count` rows, one transaction each.
        func insert(_ count: Int) throws {
            for index in 0..<count {
                try pool.write { try $0.execute(sql: "INSERT INTO t (payload) VALUES (?)", arguments: ["row \(index)"]) }
            }
        }

        /// The rows in a copy of the database file alone: what has been checkpointed (a copy
        /// without its write-ahead log sees nothing that is only in the log). A copy taken while
        /// a checkpoint writes may be torn: such a look counts as nothing seen.
        func checkpointedRows() -> Int {
            guard let copy = try? TemporaryDirectory() else { return 0 }
            defer { copy.remove() }
            let copyPath = (copy.path as NSString).appendingPathComponent("copy.sqlite")
            guard (try? FileManager.default.copyItem(atPath: path, toPath: copyPath)) != nil,
                  let queue = try? DatabaseQueue(path: copyPath) else { return 0 }
            defer { try? queue.close() }
            return (try? queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") }) ?? 0
        }

        func close() {
            checkpointer.stop()
            try? pool.close()
            directory.remove()
        }
    }

    @Test func aLogBelowTheTriggerStaysInTheLog() async throws {
        let fixture = try Fixture(triggerFrames: 1000, backstopFrames: 8000)
        defer { fixture.close() }
        try fixture.insert(10)
        try await Task.sleep(for: .milliseconds(200))
        #expect(fixture.checkpointedRows() == 0)
    }

    @Test func aLogPastTheTriggerReachesTheDatabaseFileInTheBackground() async throws {
        let fixture = try Fixture(triggerFrames: 1, backstopFrames: .max)
        defer { fixture.close() }
        try fixture.insert(10)
        let deadline = ContinuousClock.now + .seconds(10)
        var seen = fixture.checkpointedRows()
        while seen < 10, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            seen = fixture.checkpointedRows()
        }
        #expect(seen == 10)
    }

    @Test func aLogPastTheBackstopIsCheckpointedByTheWriterBeforeItsCommitReturns() throws {
        let fixture = try Fixture(triggerFrames: .max, backstopFrames: 1)
        defer { fixture.close() }
        try fixture.insert(3)
        #expect(fixture.checkpointedRows() == 3)
    }

    @Test func afterStopTheWriterNeitherCallsTheHookNorCheckpoints() throws {
        let fixture = try Fixture(triggerFrames: 1, backstopFrames: 1)
        defer { fixture.close() }
        fixture.checkpointer.stop()
        try fixture.insert(3)
        #expect(fixture.checkpointedRows() == 0)
    }

    @Test func theStoreInstallsSQLitesThresholdAndABackstop() async throws {
        try await withStore { store in
            #expect(store.checkpointer.triggerFrames == 1000)
            #expect(store.checkpointer.backstopFrames == 8000)
        }
    }
}
