import Crypto
import Foundation
import GRDB
import Synchronization

/// The store's keys: the master keys it knows, the blind-index key, and customers' data keys.
///
/// Every customer has a random 256-bit data key, kept wrapped (AES key wrap, RFC 3394) by the
/// master key whose id is stored beside it; the blind-index key is kept the same way. They live
/// in `keys.sqlite`, a database of their own beside `rapport.sqlite`, so a copy of the customer
/// database (a backup) holds no key: destroying a customer's key row makes every copy of their
/// sealed fields (in the write-ahead log, free pages, backups) unreadable. Rotation re-wraps the
/// key rows only; no sealed field is rewritten.
///
/// A key is committed to `keys.sqlite` before the customer's row that uses it, and destroyed after
/// the erasure that removes the row has committed: a crash leaves at worst an unused key, which
/// `open` removes for erased customers.
///
/// Unwrapped data keys are cached (bounded) so hot paths do not unwrap on every read.
final class Keyring: Sendable {
    private struct State {
        var masterKeys: [String: MasterKey]
        var currentMasterID: String
        var dataKeys: [String: SymmetricKey] = [:]
        /// Customers erased by this process: never cached again, whatever an older read shows.
        var erased: Set<String> = []
        var closed = false
    }

    /// The name of the key database inside the data directory.
    static let fileName = "keys.sqlite"

    private let state: Mutex<State>
    /// The key database.
    let pool: DatabasePool
    /// The HMAC-SHA-256 key of blind indexes.
    let indexKey: SymmetricKey
    /// Unwrapped data keys kept at most; when full the cache starts over.
    let capacity: Int
    /// Whether this open made the blind-index key (the key database was new).
    let isNew: Bool

    /// The name of the blind-index key's row in `store_keys`.
    static let indexKeyName = "blind-index"

    /// Opens (creating) the key database at `path`, making the index key when it has none yet.
    ///
    /// - Parameter previous: Master keys an interrupted rotation may have left keys wrapped under.
    /// - Throws: `.unavailable` when the stored keys are wrapped under a master key not given.
    init(path: String, master: MasterKey, previous: [MasterKey], capacity: Int, synchronous: String) throws {
        var keys: [String: MasterKey] = [:]
        for key in previous { keys[key.id] = key }
        keys[master.id] = master
        let known = keys
        var configuration = Configuration()
        configuration.label = "rapport-keys"
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        try Self.migrator.migrate(pool)
        var made = false
        let indexKey = try pool.write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT master_key_id, wrapped FROM store_keys WHERE name = ?", arguments: [Self.indexKeyName])
            {
                return try Self.unwrap(row["wrapped"], masterID: row["master_key_id"], known: known, what: "the blind-index key")
            }
            let key = SymmetricKey(size: .bits256)
            made = true
            try db.execute(
                sql: "INSERT INTO store_keys (name, master_key_id, wrapped) VALUES (?, ?, ?)",
                arguments: [Self.indexKeyName, master.id, try Self.wrap(key, under: master)])
            return key
        }
        // Keys under master keys no longer configured would fail only when first used; name them now.
        let stored = try pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT master_key_id FROM customer_keys") }
        if let unknown = stored.first(where: { known[$0] == nil }) {
            throw Self.unknownMaster(unknown, known: known, what: "customers' data keys")
        }
        self.pool = pool
        self.indexKey = indexKey
        isNew = made
        self.capacity = max(1024, capacity)
        state = Mutex(State(masterKeys: keys, currentMasterID: master.id))
    }

    /// The key database's schema (frozen once released, as `StoreSchema`'s).
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE customer_keys (
                        customer_id TEXT NOT NULL PRIMARY KEY,
                        master_key_id TEXT NOT NULL,
                        wrapped BLOB NOT NULL,
                        created_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX customer_keys_by_master_key ON customer_keys(master_key_id, customer_id);
                    CREATE TABLE store_keys (
                        name TEXT NOT NULL PRIMARY KEY,
                        master_key_id TEXT NOT NULL,
                        wrapped BLOB NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// The id of the master key new data keys are wrapped under.
    var currentMasterID: String {
        state.withLock { $0.currentMasterID }
    }

    /// Copies the key database's write-ahead log into it and closes it; closing again does nothing.
    func close() throws {
        let wasOpen = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        guard wasOpen else { return }
        _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try pool.close()
    }

    // MARK: Data keys

    /// The customer's data key, or nil when they have none (erased, or never stored).
    func dataKey(for customerID: String) throws -> SymmetricKey? {
        if let key = state.withLock({ $0.dataKeys[customerID] }) { return key }
        let row = try pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT master_key_id, wrapped FROM customer_keys WHERE customer_id = ?"),
                arguments: [customerID])
        }
        guard let row else { return nil }
        let known = state.withLock { $0.masterKeys }
        let key = try Self.unwrap(row["wrapped"], masterID: row["master_key_id"], known: known, what: "the data key of \(customerID)")
        remember(key, for: customerID)
        return key
    }

    /// The customer's data key; `.corrupt` when they have none.
    func requireDataKey(for customerID: String) throws -> SymmetricKey {
        guard let key = try dataKey(for: customerID) else {
            throw StoreError(.corrupt, "customer \(customerID) has no data key")
        }
        return key
    }

    /// The customer's data key, made and committed first when they have none.
    func dataKeyCreating(for customerID: String, now: Int64) throws -> SymmetricKey {
        if let key = try dataKey(for: customerID) { return key }
        try createDataKeys(for: [customerID], now: now)
        return try requireDataKey(for: customerID)
    }

    /// Makes and commits data keys for the customers that have none, in one transaction.
    func createDataKeys(for customerIDs: [String], now: Int64) throws {
        let master = state.withLock { $0.masterKeys[$0.currentMasterID] }
        guard let master else { throw StoreError(.other, "the current master key is missing") }
        var made: [(String, SymmetricKey)] = []
        try pool.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO customer_keys (customer_id, master_key_id, wrapped, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (customer_id) DO NOTHING
                """)
            for id in customerIDs {
                let key = SymmetricKey(size: .bits256)
                try insert.execute(arguments: [id, master.id, try Self.wrap(key, under: master), now])
                if db.changesCount > 0 { made.append((id, key)) }
            }
        }
        for (id, key) in made { remember(key, for: id) }
    }

    /// Deletes the customers' wrapped data keys (crypto-shredding), forgets the unwrapped copies,
    /// and empties the key database's write-ahead log so the deleted rows leave no copy there.
    func destroyDataKeys(for customerIDs: [String]) throws {
        state.withLock { state in
            for id in customerIDs {
                state.dataKeys[id] = nil
                state.erased.insert(id)
            }
        }
        try pool.write { db in
            for id in customerIDs {
                try db.execute(sql: "DELETE FROM customer_keys WHERE customer_id = ?", arguments: [id])
            }
        }
        _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    }

    private func remember(_ key: SymmetricKey, for customerID: String) {
        state.withLock { state in
            guard !state.erased.contains(customerID) else { return }
            if state.dataKeys.count >= capacity { state.dataKeys.removeAll(keepingCapacity: true) }
            state.dataKeys[customerID] = key
        }
    }

    // MARK: Blind indexes

    /// The keyed blind index of a value: hex HMAC-SHA-256 under the index key, over the index's
    /// name and the value, so equal values in different indexes do not match.
    func blindIndex(_ index: String, _ value: String) -> String {
        var hmac = HMAC<SHA256>(key: indexKey)
        hmac.update(data: Data(index.utf8))
        hmac.update(data: Data([0]))
        hmac.update(data: Data(value.utf8))
        return Hex.string(hmac.finalize())
    }

    // MARK: Master keys and rotation

    /// Makes `key` the master key new data keys are wrapped under; the old one stays known, so keys
    /// still wrapped under it open until rotation re-wraps them.
    func adopt(_ key: MasterKey) {
        state.withLock { state in
            state.masterKeys[key.id] = key
            state.currentMasterID = key.id
        }
    }

    /// Re-wraps a wrapped key under the current master key: the new master key id and wrapped bytes.
    func rewrap(_ wrapped: Data, masterID: String) throws -> (masterID: String, wrapped: Data) {
        let (known, currentID) = state.withLock { ($0.masterKeys, $0.currentMasterID) }
        guard let current = known[currentID] else { throw StoreError(.other, "the current master key is missing") }
        let key = try Self.unwrap(wrapped, masterID: masterID, known: known, what: "a stored key")
        return (current.id, try Self.wrap(key, under: current))
    }

    static func wrap(_ key: SymmetricKey, under master: MasterKey) throws -> Data {
        do {
            return try AES.KeyWrap.wrap(key, using: master.key)
        } catch {
            throw StoreError(.other, "cannot wrap a key: \(error)", cause: error)
        }
    }

    /// A key wrapped under `master` (for reading copies of the files in tests and tools).
    static func unwrap(_ wrapped: Data, under master: MasterKey) throws -> SymmetricKey {
        try unwrap(wrapped, masterID: master.id, known: [master.id: master], what: "a stored key")
    }

    private static func unwrap(_ wrapped: Data?, masterID: String?, known: [String: MasterKey], what: String) throws -> SymmetricKey {
        guard let wrapped, let masterID else { throw StoreError(.corrupt, "\(what) is missing") }
        guard let master = known[masterID] else { throw unknownMaster(masterID, known: known, what: what) }
        do {
            return try AES.KeyWrap.unwrap(wrapped, using: master.key)
        } catch {
            throw StoreError(.corrupt, "\(what) does not unwrap under master key \(masterID)", cause: error)
        }
    }

    private static func unknownMaster(_ masterID: String, known: [String: MasterKey], what: String) -> StoreError {
        StoreError(
            .unavailable,
            "\(what) is wrapped under master key \(masterID), which is not configured (configured: "
                + known.keys.sorted().joined(separator: ", ") + "); start with that key, or with the previous key "
                + "as well (previous_master_key_file) if a rotation was interrupted")
    }

    // MARK: Finding the keyring of a connection

    private static let registry = Mutex<[String: Keyring]>([:])

    /// A connection label naming a store's keyring: the store opens its database with it.
    static func newConnectionLabel() -> String {
        "rapport " + UUID().uuidString
    }

    /// Makes `keyring` the one records read and written on connections labelled `label` use.
    static func register(_ keyring: Keyring, label: String) {
        registry.withLock { $0[label] = keyring }
    }

    /// Forgets `keyring` as the one of `label` (when its store closes).
    static func unregister(_ keyring: Keyring, label: String) {
        registry.withLock { registry in
            if registry[label] === keyring { registry[label] = nil }
        }
    }

    /// The keyring of the store whose database `db` is a connection to.
    ///
    /// Records are decoded in many places that hold a connection but not the store, so the
    /// keyring is found from the connection's label, which is unique to the store's pool.
    static func of(_ db: Database) throws -> Keyring {
        guard let label = db.configuration.label, let keyring = registry.withLock({ $0[label] }) else {
            throw StoreError(.unavailable, "the database was opened without its keys")
        }
        return keyring
    }
}
