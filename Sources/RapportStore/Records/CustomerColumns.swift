import Crypto
import Foundation
import GRDB
import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf

/// The `profile` and `segmentation` columns of `customers`.
///
/// Written as protobuf binary (`rapport.v1.CustomerProfile` and `rapport.v1.Segmentation`) in a
/// BLOB: about ten times cheaper to decode than the JSON text rows held before, and the mapping
/// is the one the services answer with. Rows written before hold JSON text; they are read as
/// such and rewritten as protobuf when the customer is next written (no migration: SQLite keeps
/// a BLOB in a TEXT column as it is). A value is JSON when its first byte is `{`, which protobuf
/// binary of these messages never starts with (it would be field 15 as a group, and proto3 has
/// no groups); anything else is protobuf.
///
/// A profile the messages cannot hold exactly (a date component beyond 32 bits, which
/// validation never lets through) is written as JSON instead, so no value is ever altered.
enum CustomerColumns {
    /// `{`, the first byte of every JSON value written to these columns.
    private static let jsonMarker = UInt8(ascii: "{")

    static func encode(_ profile: CustomerProfile) throws -> DatabaseValue {
        guard profile.isExactOnWire else { return try JSONColumn.encode(profile, column: "profile").databaseValue }
        return try protobuf(profile.wire, column: "profile")
    }

    static func encode(_ segmentation: Segmentation) throws -> DatabaseValue {
        try protobuf(segmentation.wire, column: "segmentation")
    }

    static func decodeProfile(_ row: Row, column: String, id: String) throws -> CustomerProfile {
        try decode(row, column: column, id: id) { try CustomerProfile(wire: Rapport_V1_CustomerProfile(serializedBytes: $0)) }
    }

    /// The profile as stored: encoded as `encode` does, then sealed with the customer's data key.
    static func sealedProfile(_ profile: CustomerProfile, id: String, key: SymmetricKey) throws -> Data {
        let plain: Data
        switch try encode(profile).storage {
        case .blob(let bytes): plain = bytes
        case .string(let text): plain = Data(text.utf8)
        default: throw StoreError(.other, "cannot encode the profile of \(id)")
        }
        return try FieldCipher.seal(plain, key: key, place: FieldCipher.place("customers", id, "profile"))
    }

    /// The profile a sealed value holds.
    static func openProfile(_ sealed: Data, id: String, key: SymmetricKey) throws -> CustomerProfile {
        let data = try FieldCipher.open(sealed, key: key, place: FieldCipher.place("customers", id, "profile"))
        if data.first == jsonMarker {
            return try JSONColumn.decode(CustomerProfile.self, from: data, column: "profile", id: id)
        }
        do {
            return try CustomerProfile(wire: Rapport_V1_CustomerProfile(serializedBytes: data))
        } catch {
            throw corrupt("profile", id: id, cause: error)
        }
    }

    static func decodeSegmentation(_ row: Row, column: String, id: String) throws -> Segmentation {
        try decode(row, column: column, id: id) { try Segmentation(wire: Rapport_V1_Segmentation(serializedBytes: $0)) }
    }

    /// The column's value: JSON when it starts with `{` (rows from before), else protobuf read by `fromProtobuf`.
    private static func decode<Value: Decodable>(
        _ row: Row, column: String, id: String, fromProtobuf: (Data) throws -> Value
    ) throws -> Value {
        try row.withUnsafeData(named: column) { data throws -> Value in
            let data = try present(data, column: column, id: id)
            if data.first == jsonMarker {
                return try JSONColumn.decode(Value.self, from: data, column: column, id: id)
            }
            do {
                return try fromProtobuf(data)
            } catch {
                throw corrupt(column, id: id, cause: error)
            }
        }
    }

    private static func protobuf(_ message: some SwiftProtobuf.Message, column: String) throws -> DatabaseValue {
        do {
            let bytes: Data = try message.serializedBytes()
            return bytes.databaseValue
        } catch {
            throw StoreError(.other, "cannot encode \(column): \(error)", cause: error)
        }
    }

    private static func present(_ data: Data?, column: String, id: String) throws -> Data {
        guard let data else { throw StoreError(.corrupt, "the stored \(column) of \(id) is missing") }
        return data
    }

    private static func corrupt(_ column: String, id: String, cause: any Error) -> StoreError {
        StoreError(.corrupt, "the stored \(column) of \(id) cannot be decoded", cause: cause)
    }
}
