import Crypto
import Foundation

/// Seals one field of one row with a customer's data key: AES-256-GCM with a random nonce, the
/// row and field as associated data, so a ciphertext moved to another row or field fails to open.
///
/// Format: a version byte, then the nonce, ciphertext and tag (`AES.GCM.SealedBox.combined`).
/// The version byte says what the value is bound to: 1, its row (table, row key, field); 2, its
/// customer and field only, for values sealed before their row has an id (interaction texts are
/// sealed before they wait for the store's single writer). Either way a value copied into another
/// customer's row fails to open. Both are below 8, which no protobuf message and no JSON text
/// starts with, so a sealed profile is told from one written before encryption by its first byte.
enum FieldCipher {
    /// The first byte of a value bound to its row.
    static let version: UInt8 = 1
    /// The first byte of a value bound to its customer and field.
    static let customerBound: UInt8 = 2

    /// The associated data binding a value to its place: table, row key, field.
    static func place(_ table: String, _ row: String, _ field: String) -> Data {
        Data("rapport/\(table)/\(row)/\(field)".utf8)
    }

    static func seal(
        _ plaintext: some DataProtocol, key: SymmetricKey, place: Data, format: UInt8 = version
    ) throws -> Data {
        do {
            let box = try AES.GCM.seal(plaintext, using: key, nonce: try NonceReserve.next(), authenticating: place)
            var sealed = Data(capacity: 1 + NonceReserve.nonceSize + box.ciphertext.count + box.tag.count)
            sealed.append(format)
            box.nonce.withUnsafeBytes { sealed.append(contentsOf: $0) }
            sealed.append(box.ciphertext)
            sealed.append(box.tag)
            return sealed
        } catch {
            throw StoreError(.other, "cannot seal a field: \(error)", cause: error)
        }
    }

    /// Whether `data` is a sealed value (rather than one written before encryption).
    static func isSealed(_ data: some DataProtocol) -> Bool {
        data.first == version || data.first == customerBound
    }

    /// The plaintext; `.corrupt` when the value was altered, moved, or sealed under another key.
    static func open(_ sealed: Data, key: SymmetricKey, place: Data) throws -> Data {
        guard isSealed(sealed) else { throw StoreError(.corrupt, "a sealed field has an unknown format") }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return try AES.GCM.open(box, using: key, authenticating: place)
        } catch {
            throw StoreError(
                .corrupt, "a sealed field of \(String(decoding: place, as: UTF8.self)) fails authentication", cause: error)
        }
    }
}
