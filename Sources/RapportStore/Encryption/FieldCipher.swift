import Crypto
import Foundation

/// Seals one field of one row with a customer's data key: AES-256-GCM with a random nonce, the
/// row and field as associated data, so a ciphertext moved to another row or field fails to open.
///
/// Format: a version byte (1), then the nonce, ciphertext and tag (`AES.GCM.SealedBox.combined`).
/// The version byte is below 8, which no protobuf message and no JSON text starts with, so a
/// sealed profile is told from one written before encryption by its first byte.
enum FieldCipher {
    /// The first byte of every sealed value.
    static let version: UInt8 = 1

    /// The associated data binding a value to its place: table, row key, field.
    static func place(_ table: String, _ row: String, _ field: String) -> Data {
        Data("rapport/\(table)/\(row)/\(field)".utf8)
    }

    static func seal(_ plaintext: some DataProtocol, key: SymmetricKey, place: Data) throws -> Data {
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: place)
            guard let combined = box.combined else { throw StoreError(.other, "AES-GCM produced no combined form") }
            var sealed = Data([version])
            sealed.append(combined)
            return sealed
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.other, "cannot seal a field: \(error)", cause: error)
        }
    }

    /// Whether `data` is a sealed value (rather than one written before encryption).
    static func isSealed(_ data: some DataProtocol) -> Bool {
        data.first == version
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
