import Foundation

/// JSON text for the `profile` and `segmentation` columns (sorted keys, so equal values give equal text).
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

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String, column: String, id: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "the stored \(column) of \(id) cannot be decoded", cause: error)
        }
    }
}
