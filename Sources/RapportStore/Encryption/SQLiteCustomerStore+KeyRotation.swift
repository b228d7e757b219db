import Foundation
import GRDB

/// The outcome of a master-key rotation.
public struct KeyRotation: Sendable, Hashable {
    public var previousKeyID: String
    public var newKeyID: String
    /// Keys re-wrapped: customers' data keys and the blind-index key.
    public var rewrapped: Int
}

extension SQLiteCustomerStore {
    /// Keys re-wrapped per write transaction: each is short, so writes keep flowing beside it.
    static let rotationBatchSize = 500

    /// Makes `newKey` the master key and re-wraps every stored key under it while the store serves.
    ///
    /// New data keys are wrapped under `newKey` from the start; keys still wrapped under an older
    /// master key open with it until their batch is re-wrapped (both are known meanwhile). Sealed
    /// fields are not touched. With the default key source (`master.key` in the data directory)
    /// the file is replaced by `newKey` once every key is re-wrapped; with a key file or the
    /// environment, the operator points the configuration at the new key before the next start.
    /// Running it again with the same key finishes an interrupted rotation.
    public func rotateMasterKey(to newKey: MasterKey) async throws -> KeyRotation {
        let previous = keyring.currentMasterID
        keyring.adopt(newKey)
        var rewrapped = 0
        try await mappingErrors {
            while true {
                let count = try await keyring.pool.write { db in
                    try Self.rewrapBatch(db, table: "customer_keys", keyColumn: "customer_id", to: newKey.id, keyring: keyring)
                }
                rewrapped += count
                if count < Self.rotationBatchSize { break }
            }
            rewrapped += try await keyring.pool.write { db in
                try Self.rewrapBatch(db, table: "store_keys", keyColumn: "name", to: newKey.id, keyring: keyring)
            }
        }
        if case .dataDirectory = configuration.masterKey {
            try KeyFile.replace(at: directory.filePath(MasterKeySource.dataDirectoryFileName), with: newKey.key, what: "master key file")
        }
        return KeyRotation(previousKeyID: previous, newKeyID: newKey.id, rewrapped: rewrapped)
    }

    /// Re-wraps up to `rotationBatchSize` keys of `table` not yet under `masterID`; returns how many.
    private static func rewrapBatch(_ db: Database, table: String, keyColumn: String, to masterID: String, keyring: Keyring) throws -> Int {
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(keyColumn), master_key_id, wrapped FROM \(table) WHERE master_key_id <> ? LIMIT ?",
            arguments: [masterID, rotationBatchSize])
        let update = try db.makeStatement(sql: "UPDATE \(table) SET master_key_id = ?, wrapped = ? WHERE \(keyColumn) = ?")
        for row in rows {
            let id: String = row[0]
            let (newID, wrapped) = try keyring.rewrap(row[2], masterID: row[1])
            try update.execute(arguments: [newID, wrapped, id])
        }
        return rows.count
    }
}
