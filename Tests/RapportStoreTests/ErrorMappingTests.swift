import Foundation
import GRDB
import Testing
@testable import RapportStore

@Suite struct ErrorMappingTests {
    static let cases: [(ResultCode, String?, StoreError.Kind)] = [
        (.SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: customers.external_ref", .alreadyExists(field: "external_ref")),
        (.SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: customers.id", .alreadyExists(field: "id")),
        (.SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: t.a, t.b", .alreadyExists(field: "a")),
        (.SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed", .notFound),
        (.SQLITE_CONSTRAINT_NOTNULL, "NOT NULL constraint failed: customers.profile", .other),
        (.SQLITE_BUSY, nil, .busy),
        (.SQLITE_BUSY_SNAPSHOT, nil, .busy),
        (.SQLITE_LOCKED, nil, .busy),
        (.SQLITE_FULL, nil, .diskFull),
        (.SQLITE_CORRUPT, nil, .corrupt),
        (.SQLITE_CORRUPT_INDEX, nil, .corrupt),
        (.SQLITE_NOTADB, nil, .corrupt),
        (.SQLITE_READONLY, nil, .readOnly),
        (.SQLITE_READONLY_DBMOVED, nil, .readOnly),
        (.SQLITE_READONLY_CANTINIT, nil, .readOnly),
        (.SQLITE_CANTOPEN, nil, .ioError),
        (.SQLITE_IOERR, nil, .ioError),
        (.SQLITE_IOERR_FSYNC, nil, .ioError),
        (.SQLITE_IOERR_WRITE, nil, .ioError),
        (.SQLITE_IOERR_SHORT_READ, nil, .ioError),
        (.SQLITE_MISUSE, "Connection is closed", .unavailable),
        (.SQLITE_MISUSE, "out of memory", .unavailable),
        (.SQLITE_ERROR, "no such table: x", .other),
    ]

    @Test(arguments: cases)
    func mapsResultCodes(_ code: ResultCode, _ message: String?, _ kind: StoreError.Kind) {
        let error = DatabaseError(resultCode: code, message: message)
        let mapped = StoreError(mapping: error)
        #expect(mapped.kind == kind)
        #expect((mapped.cause as? DatabaseError)?.extendedResultCode == code)
        #expect(!mapped.message.isEmpty)
    }

    /// A failing or read-only filesystem is reported as what it is, never as a busy store.
    @Test(arguments: [
        (ResultCode.SQLITE_IOERR_WRITE, "disk I/O error", "reading or writing the database's files failed (disk I/O error)"),
        (.SQLITE_IOERR_FSYNC, "disk I/O error", "reading or writing the database's files failed"),
        (.SQLITE_CANTOPEN, "unable to open database file", "the database's files cannot be opened (unable to open database file)"),
        (.SQLITE_READONLY, "attempt to write a readonly database", "cannot be written (attempt to write a readonly database); is its filesystem read-only?"),
    ])
    func filesystemFailuresSayWhatHappened(_ code: ResultCode, _ sqliteMessage: String, _ expected: String) {
        let mapped = StoreError(mapping: DatabaseError(resultCode: code, message: sqliteMessage))
        #expect(mapped.message.contains(expected), "\(mapped.message)")
        #expect(!mapped.message.contains("busy"))
        #expect(mapped.kind != .busy)
    }

    /// A database file that cannot be written (as on a filesystem mounted read-only) reports a
    /// read-only store on a write, and reads still work.
    @Test func aWriteToAReadOnlyDatabaseIsReadOnlyNotBusy() async throws {
        try await withStore { store in
            let created = try await store.create(makeCustomer(), requestID: nil).customer
            // What SQLite answers when the file or its filesystem refuses writes.
            try await store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = ON") }
            let error = await storeError { _ = try await store.create(makeCustomer(), requestID: nil) }
            #expect(error?.kind == .readOnly)
            #expect(error?.message.contains("busy") == false)
            #expect(try await store.customer(id: created.id)?.id == created.id)
            try await store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = OFF") }
        }
    }

    @Test func passesOtherErrorsThrough() {
        #expect(StoreError.mapping(CancellationError()) is CancellationError)
        #expect((StoreError.mapping(StoreError(.notFound, "x")) as? StoreError)?.kind == .notFound)
        #expect((StoreError.mapping(DatabaseError(resultCode: .SQLITE_FULL)) as? StoreError)?.kind == .diskFull)
    }

    @Test func aFileThatIsNotADatabaseIsCorrupt() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let path = (temporary.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName)
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        #expect(FileManager.default.createFile(atPath: path, contents: garbage))
        let error = #expect(throws: StoreError.self) {
            _ = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: temporary.path))
        }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains(path) == true)
        // The directory lock went with the failed store.
        let directory = try DataDirectory.open(temporary.path)
        directory.close()
    }

    @Test func aLockHeldBeyondTheBusyTimeoutIsBusy() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let store = try SQLiteCustomerStore(
            configuration: StoreConfiguration(dataDirectory: temporary.path, busyTimeout: .milliseconds(100)))
        defer { try? store.close() }
        // Another connection (as another process would) holds the write lock.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let intruder = try DatabaseQueue(path: store.directory.filePath(StoreConfiguration.databaseFileName), configuration: configuration)
        try intruder.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let started = ContinuousClock.now
        let error = await storeError { _ = try await store.create(makeCustomer(), requestID: nil) }
        #expect(error?.kind == .busy)
        #expect(ContinuousClock.now - started >= .milliseconds(90))
        try intruder.inDatabase { try $0.execute(sql: "ROLLBACK") }
        try intruder.close()
        _ = try await store.create(makeCustomer(), requestID: nil)
    }

    @Test func aClosedStoreIsUnavailable() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: temporary.path))
        try store.close()
        let error = await storeError { _ = try await store.customer(id: "cus_1") }
        #expect(error?.kind == .unavailable)
    }
}
