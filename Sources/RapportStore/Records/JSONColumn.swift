import Foundation

/// JSON text, the format of the `profile` and `segmentation` columns before protobuf binary
/// (sorted keys, so equal values give equal text): still read from rows written before, and
/// written for the rare profile protobuf cannot hold exactly (see `CustomerColumns`).
enum JSONColumn {
    static func encode<Value: Encodable>(_ value: Value, column: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.other, "cannot encode \(column): \(error)", cause: error)
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, column: String, id: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw StoreError(.corrupt, "the stored \(column) of \(id) cannot be decoded", cause: error)
        }
    }
}
