import Foundation
import GRDB
import RapportDomain

/// The SQLite `CustomerStore`: one WAL-mode `DatabasePool` on `rapport.sqlite` in a locked data directory.
///
/// Readers run concurrently; writes are serialized on one connection and each is one transaction
/// that has committed (and, with `synchronous = FULL`, reached the disk) before a method returns.
public final class SQLiteCustomerStore: CustomerStore {
    /// The configuration the store was opened with.
    public let configuration: StoreConfiguration
    /// The locked data directory; released when the store closes.
    public let directory: DataDirectory
    /// Seals and opens the page tokens of every list, with the data directory's secret.
    public let pageTokens: PageTokenCodec
    /// The database; `internal` so tests can inspect the schema.
    let pool: DatabasePool
    /// Decoded customers for point reads, invalidated by every committed change to `customers`.
    let customerCache: CustomerCache
    /// Customers' activity summaries on the writer, moved by triggers; nil when caches are off.
    let activitySummaries: ActivitySummaryTable?
    /// What recommendations read besides the customer, invalidated by triggers on the writer.
    let recommendationContexts: RecommendationContextCache
    /// Queues concurrent `log` calls for group commit (see `GroupCommitQueue`).
    let interactionLog = GroupCommitQueue<PendingLog, LogOutcome>(maximumGroupSize: SQLiteCustomerStore.maximumLogGroupSize)

    /// The active products between catalog writes (see `CatalogCache`).
    let catalog = CatalogCache()

    /// Keeps asynchronous reads from taking the readers point reads need (see `ReadGate`).
    let readGate = ReadGate(permits: ReadGate.asyncReaders)

    /// The last recommendation statistics read (see `recommendationStatistics(maxAge:)`).
    let statisticsSnapshot = SnapshotCache<RecommendationStatistics>()

    /// Checkpoints a growing write-ahead log off the writer's thread (see `WALCheckpointer`).
    let checkpointer: WALCheckpointer

    /// The master, blind-index and customers' data keys (see `Keyring`).
    let keyring: Keyring
    /// Whether this open made the master key file in the data directory (the quick start's default).
    public let createdMasterKeyFile: Bool
    /// The id of the master key the store wraps new keys under (never the key).
    public var masterKeyID: String { keyring.currentMasterID }

    /// Assigns interaction ids inside write transactions only, so they increase in commit order;
    /// advanced past the newest stored id on open, so a clock set back cannot reorder them.
    let interactionIDs = SortableIDGenerator()

    /// The connection label the keyring is registered under (see `Keyring.of`).
    private let registeredLabel: String

    /// Opens (creating if needed) the data directory, locks it, and opens and migrates the database.
    ///
    /// - Throws: `StoreError`: `.inUse` if another daemon uses the directory, `.corrupt` if the
    ///   file is not a database, `.unavailable` if it cannot be opened.
    public convenience init(configuration: StoreConfiguration) throws {
        let directory = try DataDirectory.open(configuration.dataDirectory)
        try self.init(directory: directory, configuration: configuration)
    }

    /// Opens and migrates the database in an already locked data directory, taking ownership of it.
    ///
    /// - Parameters:
    ///   - directory: The locked data directory; the store closes it when it closes or fails to open.
    ///   - configuration: Durability and timeouts (its `dataDirectory` is not used).
    public init(directory: DataDirectory, configuration: StoreConfiguration) throws {
        self.configuration = configuration
        self.directory = directory
        customerCache = CustomerCache(capacity: configuration.customerCacheCapacity)
        activitySummaries = configuration.customerCacheCapacity > 0
            ? ActivitySummaryTable(capacity: configuration.customerCacheCapacity) : nil
        recommendationContexts = RecommendationContextCache(
            capacity: configuration.cachesRecommendationContexts ? configuration.customerCacheCapacity : 0)
        let path = directory.filePath(StoreConfiguration.databaseFileName)
        let master: MasterKey
        let previousMasters: [MasterKey]
        let createdKeyFile: Bool
        do {
            (master, createdKeyFile) = try configuration.masterKey.resolve(in: directory)
            previousMasters = try configuration.previousMasterKeys.map { try $0.resolve(in: directory).key }
            pageTokens = try PageTokenSecret.codec(in: directory)
            // Created (or tightened) 0600 before SQLite opens it: SQLite gives the -wal and -shm
            // files it creates the database file's permissions.
            try directory.makePrivateFile(StoreConfiguration.databaseFileName, creating: true)
            for suffix in ["-wal", "-shm"] {
                try directory.makePrivateFile(StoreConfiguration.databaseFileName + suffix, creating: false)
            }
        } catch {
            directory.close()
            throw error
        }
        var databaseConfiguration = Configuration()
        // Unique to this pool: records find the store's keyring by it (`Keyring.of`).
        let label = Keyring.newConnectionLabel()
        databaseConfiguration.label = label
        databaseConfiguration.foreignKeysEnabled = true
        databaseConfiguration.journalMode = .wal
        databaseConfiguration.busyMode = .timeout(configuration.busyTimeoutSeconds)
        databaseConfiguration.maximumReaderCount = ReadGate.pointReadingThreads + ReadGate.asyncReaders
        let synchronous = configuration.synchronous.pragmaValue
        databaseConfiguration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            // Deleted and overwritten content is zeroed rather than left in free space, so an erased
            // customer's ciphertext and any plaintext from before encryption do not linger in the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        createdMasterKeyFile = createdKeyFile
        var registered: (Keyring, String)?
        do {
            pool = try DatabasePool(path: path, configuration: databaseConfiguration)
            // GRDB sets NORMAL on the writer when it enables WAL, after `prepareDatabase`;
            // the writer connection lives as long as the pool, so setting it once here holds.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
                // The writer's temporary tables and triggers (`ActivitySummaryTable`,
                // `RecommendationContextCache`) in memory; set first: changing it drops them.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
            let migrating = try pool.read { try !StoreSchema.migrator.hasCompletedMigrations($0) }
            let applied = try pool.read { try StoreSchema.migrator.appliedIdentifiers($0) }
            let sealing = !applied.contains(StoreSchema.sealingMigration)
            // GRDB traps on migrating "up to" a migration a newer file is already past.
            if !applied.contains(StoreSchema.keysMigration) {
                try StoreSchema.migrator.migrate(pool, upTo: StoreSchema.keysMigration)
            }
            try directory.makePrivateFile(Keyring.fileName, creating: true)
            for suffix in ["-wal", "-shm"] {
                try directory.makePrivateFile(Keyring.fileName + suffix, creating: false)
            }
            // FULL whatever the store's mode: a key must be on disk before any row sealed with it
            // is, and under NORMAL a committed key can be lost to a power failure while a later
            // checkpoint has already made the customer's row durable (docs/reliability.md, power
            // loss). Keys are written once per customer, so syncing them costs little.
            let ring = try Keyring(
                path: directory.filePath(Keyring.fileName), master: master, previous: previousMasters,
                capacity: configuration.customerCacheCapacity, synchronous: StoreConfiguration.SynchronousMode.full.pragmaValue)
            keyring = ring
            registeredLabel = label
            Keyring.register(ring, label: label)
            registered = (ring, label)
            if ring.isNew, !sealing, try pool.read({ try Bool.fetchOne($0, sql: "SELECT 1 FROM customers LIMIT 1") ?? false }) {
                // Sealed customers and no key database: a new index key would not find them, and
                // without their data keys nothing opens. Refuse rather than start empty-handed.
                throw StoreError(
                    .unavailable,
                    "\(Keyring.fileName) is missing or empty but the database holds sealed customers; restore it from its backup")
            }
            try StoreSchema.migrator.migrate(pool)
            if sealing {
                // The conversion rewrote every personal field; VACUUM rebuilds the file from the
                // sealed rows only, so no page keeps what was there before.
                try pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM") }
            }
            if migrating {
                // A migration that rebuilds an index writes it all to the log first (2.7 GB for
                // 10 million interactions); without a truncating checkpoint the log file keeps that
                // size, and a recommendation on such a store cost up to twice the CPU until it was cut.
                _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            }
            checkpointer = try WALCheckpointer(writer: pool, path: path)
            pool.add(transactionObserver: customerCache, extent: .databaseLifetime)
            if let activitySummaries {
                try pool.writeWithoutTransaction { try activitySummaries.install(on: $0) }
            }
            if recommendationContexts.capacity > 0 {
                try pool.writeWithoutTransaction { try recommendationContexts.install(on: $0) }
                pool.add(transactionObserver: recommendationContexts, extent: .databaseLifetime)
            }
            try destroyErasedKeys()
            if let newest = try pool.read({ try String.fetchOne($0, sql: "SELECT max(id) FROM interactions") }) {
                interactionIDs.advance(past: newest)
            }
        } catch {
            if let registered {
                Keyring.unregister(registered.0, label: registered.1)
                try? registered.0.close()
                if registered.0.isNew {
                    // Made by this failed open: the next one must not take it for the real one.
                    for suffix in ["", "-wal", "-shm"] {
                        try? FileManager.default.removeItem(atPath: directory.filePath(Keyring.fileName + suffix))
                    }
                }
            }
            if createdKeyFile { try? FileManager.default.removeItem(atPath: directory.filePath(MasterKeySource.dataDirectoryFileName)) }
            directory.close()
            throw Self.openingError(error, path: path)
        }
    }

    deinit {
        Keyring.unregister(keyring, label: registeredLabel)
        try? keyring.close()
        checkpointer.stop()
        try? pool.close()
        directory.close()
    }

    /// Copies the whole write-ahead log into the database file, empties the log, closes the
    /// database and releases the data directory. Later calls fail with `.unavailable`; closing
    /// again does nothing.
    ///
    /// Call once the last call has finished. The checkpoint is the writer's: SQLite checkpoints
    /// at close only on the last connection to close, which is a read-only reader of the pool,
    /// and that checkpoint fails — the database file alone (what an operator copies as a backup)
    /// would hold none of the writes since the log was last reset, and erased data would stay in
    /// the log.
    public func close() throws {
        guard directory.isOpen else { return }
        checkpointer.stop()
        // A failed checkpoint loses nothing (the log still holds the writes, and the next open
        // reads them): the store closes all the same and then reports it.
        var checkpointFailure: (any Error)?
        do {
            _ = try pool.writeWithoutTransaction { db in
                // A task cancelled during an async access (a background flush or sweep stopped at
                // shutdown) can leave SQLite's interrupt flag set while no statement runs; only
                // the next statement clears it, and a checkpoint is not one.
                try db.execute(sql: "SELECT 1")
                return try db.checkpoint(.truncate)
            }
        } catch {
            checkpointFailure = error
        }
        do {
            try pool.close()
        } catch let error as DatabaseError {
            throw StoreError(mapping: error)
        }
        Keyring.unregister(keyring, label: registeredLabel)
        do {
            try keyring.close()
        } catch {
            checkpointFailure = checkpointFailure ?? error
        }
        directory.close()
        if let checkpointFailure {
            var error = StoreError.mapping(checkpointFailure) as? StoreError ?? StoreError(.other, "\(checkpointFailure)")
            error.message = "the write-ahead log could not be copied into the database file at close: \(error.message)"
            throw error
        }
    }

    /// A new customer id: "cus_" and 26 time-ordered Crockford base32 characters.
    ///
    /// Ids sort by creation time as strings and are strictly increasing within a process,
    /// even when several are made in the same millisecond.
    public static func newCustomerID(now: Date = Date()) -> String {
        "cus_" + SortableIDGenerator.shared.next(now: now)
    }

    /// What every interaction id starts with.
    static let interactionIDPrefix = "int_"

    /// A new interaction id: "int_" and 26 time-ordered Crockford base32 characters, for
    /// interactions written with `importInteractions` (seeding). Logged interactions get theirs
    /// from the store, in its write transaction.
    public static func newInteractionID(now: Date = Date()) -> String {
        interactionIDPrefix + SortableIDGenerator.shared.next(now: now)
    }

    private static func openingError(_ error: any Error, path: String) -> StoreError {
        guard var error = StoreError.mapping(error) as? StoreError else {
            return StoreError(.other, "cannot open database \(path): \(error)", cause: error)
        }
        error.message = "cannot open database \(path): \(error.message)"
        return error
    }

    /// Runs a database access, mapping its errors (see `StoreError.mapping`).
    func mappingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw StoreError.mapping(error)
        }
    }

    /// Runs a read asynchronously, after `readGate` lets it hold a reader (errors are not mapped).
    func asyncRead<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await readGate.run { try await pool.read(body) }
    }

    /// Runs a short read on the calling thread, mapping its errors.
    ///
    /// For point reads by key: GRDB's async read hops to a reader's dispatch queue and back,
    /// two thread switches that cost more than the read itself. A synchronous read runs on the
    /// caller's thread and never waits in WAL mode (writers do not block readers); at most one
    /// runs per cooperative or event-loop thread, and the pool has a reader for each of them besides
    /// those asynchronous reads may hold (`ReadGate`). Long reads (pages, exports,
    /// reports) stay async so they never hold a cooperative thread for long.
    ///
    /// The read transaction is begun and ended with cached statements: GRDB's `read` compiles
    /// `BEGIN` and `COMMIT` anew on every call, which cost a recommendation's context read 7% of
    /// its CPU. Its parts still see one snapshot, and a failed read ends its transaction, so the
    /// reader never keeps an old snapshot (and the write-ahead log from being reset).
    func pointRead<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.unsafeRead { db in
                if db.isInsideTransaction { try db.rollback() }
                try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
                do {
                    let value = try body(db)
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                    return value
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        } catch {
            throw StoreError.mapping(error)
        }
    }
}
