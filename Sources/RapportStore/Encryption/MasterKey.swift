import Crypto
import Foundation

/// The key that wraps every customer's data key and the blind-index key. It never enters the
/// database: only its `id` is stored next to what it wrapped.
public struct MasterKey: Sendable {
    /// The key's identifier, derived from the key (a one-way digest, so it tells nothing of the key):
    /// "mk-" and 16 hex digits. Stored with every wrapped key to say which master key opens it.
    public let id: String
    let key: SymmetricKey

    init(_ key: SymmetricKey) {
        self.key = key
        var hash = SHA256()
        hash.update(data: Data("rapport master key id v1".utf8))
        key.withUnsafeBytes { hash.update(bufferPointer: $0) }
        id = "mk-" + Hex.string(hash.finalize().prefix(8))
    }

    /// A new random master key (tests, and the first start without a configured key).
    public static func random() -> MasterKey {
        MasterKey(SymmetricKey(size: .bits256))
    }

    /// The key as base64, for `RAPPORT_MASTER_KEY` (tests and key generation only).
    public var base64: String {
        key.withUnsafeBytes { Data($0).base64EncodedString() }
    }
}

/// Where the store's master key comes from.
public enum MasterKeySource: Sendable {
    /// `master.key` in the data directory, made (0600) on the first start when absent: the quick
    /// start's default. A copy of the data directory then holds the key with the data, so
    /// production keeps the key elsewhere (`file`, or the environment).
    case dataDirectory
    /// A key file outside the data directory: 32 bytes or their base64 text, mode 0600 (a file
    /// group or others can read is refused). It must exist.
    case file(String)
    /// The key itself (from `RAPPORT_MASTER_KEY`, or tests).
    case key(MasterKey)

    /// The name of the key file `dataDirectory` uses.
    public static let dataDirectoryFileName = "master.key"

    /// The key, and whether it was made now (in the data directory).
    func resolve(in directory: DataDirectory) throws -> (key: MasterKey, created: Bool) {
        switch self {
        case .key(let key):
            return (key, false)
        case .file(let path):
            guard let key = try KeyFile.load(path, what: "master key file") else {
                throw StoreError(.unavailable, "the master key file \(path) does not exist")
            }
            return (MasterKey(key), false)
        case .dataDirectory:
            let path = directory.filePath(Self.dataDirectoryFileName)
            if let key = try KeyFile.load(path, what: "master key file") { return (MasterKey(key), false) }
            return (MasterKey(try KeyFile.create(at: path, what: "master key file")), true)
        }
    }
}

extension MasterKey {
    /// The key in a key file (32 bytes or their base64 text, mode 0600).
    ///
    /// - Throws: `StoreError` `.unavailable` when the file is missing, unreadable, readable by
    ///   group or others, or holds no 256-bit key.
    public static func load(file path: String) throws -> MasterKey {
        guard let key = try KeyFile.load(path, what: "master key file") else {
            throw StoreError(.unavailable, "the master key file \(path) does not exist")
        }
        return MasterKey(key)
    }

    /// The key in base64 text (as `RAPPORT_MASTER_KEY` holds it); nil unless it is 32 bytes.
    public init?(base64: String) {
        guard let key = KeyFile.decode(base64: base64) else { return nil }
        self.init(key)
    }
}
