import Foundation
import RapportProto
import RapportWire
import SwiftProtobuf

/// One hostile request: a method, a payload, and what in it is extreme (for failure messages).
struct ExtremeCase: Sendable, CustomStringConvertible {
    let method: AnyMethodDescriptor
    let label: String
    let payload: [UInt8]

    var description: String { "\(method.path) \(label) (\(payload.count) bytes)" }
}

/// Hostile requests generated from the descriptor set the daemon serves for reflection: for
/// every method, every field of its request — nested messages entered down to `maxDepth` — is
/// set in turn to each extreme value of its type, on top of a valid request of that method, so
/// a new field or method is covered without touching a test.
///
/// Extremes: integers at their type's minimum and maximum (and -1), enums at unknown numbers,
/// doubles NaN and ±infinity, very long and control-character strings, invalid UTF-8, empty
/// messages, and repeated fields with tens of thousands of elements. Timestamps are messages like
/// any other, so their `seconds` and `nanos` get the int64 and int32 extremes.
enum ExtremeValueCases {
    /// How deep nested messages are entered (CreateCustomerRequest.profile.products.opened_on.year is 4).
    static let maxDepth = 5
    /// The length of "very long" strings and bytes: long enough to find a copy or a log of the
    /// whole value, small enough that hundreds of them stay quick.
    static let longLength = 64 * 1024
    /// Repeated fields get this many elements (fewer when they would not fit in `repeatedBytes`).
    static let repeatedCount = 20_000
    static let repeatedBytes = 1024 * 1024

    typealias Field = Google_Protobuf_FieldDescriptorProto
    typealias Value = WireMessage.Value

    /// Every message type of the descriptor set, by full name ("rapport.v1.Date").
    static func messageTypes() throws -> [String: Google_Protobuf_DescriptorProto] {
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: RapportCatalog.fileDescriptorSet)
        var types: [String: Google_Protobuf_DescriptorProto] = [:]
        func add(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
            let name = "\(prefix).\(message.name)"
            types[name] = message
            for nested in message.nestedType { add(nested, prefix: name) }
        }
        for file in set.file {
            for message in file.messageType { add(message, prefix: file.package) }
        }
        return types
    }

    /// Every case for `method`, built on `baseline` (a valid request's bytes).
    static func cases(
        for method: AnyMethodDescriptor, baseline: [UInt8], types: [String: Google_Protobuf_DescriptorProto]
    ) throws -> [ExtremeCase] {
        let base = try WireMessage(bytes: baseline)
        var cases: [ExtremeCase] = []
        for leaf in leaves(of: method.requestType, types: types, depth: 1, visiting: []) {
            let name = leaf.names.joined(separator: ".")
            for (label, values) in extremes(for: leaf.field, at: leaf.numbers, in: base) {
                let payload = try base.setting(leaf.numbers[...], to: values).bytes
                cases.append(ExtremeCase(method: method, label: "\(name) = \(label)", payload: payload))
            }
        }
        return cases
    }

    /// The fields of `typeName` and of the messages inside it: each field is a leaf (message
    /// fields too, for the empty-message and repeated cases), and message fields are entered.
    static func leaves(
        of typeName: String, types: [String: Google_Protobuf_DescriptorProto], depth: Int, visiting: Set<String>
    ) -> [(numbers: [Int], names: [String], field: Field)] {
        guard depth <= maxDepth, !visiting.contains(typeName), let type = types[typeName] else { return [] }
        var result: [(numbers: [Int], names: [String], field: Field)] = []
        for field in type.field {
            result.append(([Int(field.number)], [field.name], field))
            guard field.type == .message else { continue }
            let inner = leaves(of: String(field.typeName.drop { $0 == "." }), types: types, depth: depth + 1,
                               visiting: visiting.union([typeName]))
            for leaf in inner {
                result.append(([Int(field.number)] + leaf.numbers, [field.name] + leaf.names, leaf.field))
            }
        }
        return result
    }

    /// The extreme values of `field`, each as the complete list of values the field will hold.
    static func extremes(for field: Field, at path: [Int], in base: WireMessage) -> [(String, [Value])] {
        var result: [(String, [Value])] = scalarExtremes(field).map { ($0.0, [$0.1]) }
        if field.label == .repeated {
            // Many copies of the baseline's element where it has one, so each is valid alone.
            let element = existing(at: path, in: base) ?? ordinary(field)
            let size = max(1, element.encodedSize + 2)
            let count = min(repeatedCount, repeatedBytes / size)
            result.append(("\(count) elements", Array(repeating: element, count: count)))
        }
        return result
    }

    private static func scalarExtremes(_ field: Field) -> [(String, Value)] {
        switch field.type {
        case .int64, .sfixed64, .sint64:
            return [Int64.min, Int64.max, -1].map { ("\($0)", signed($0, field.type)) }
        case .int32, .sfixed32, .sint32, .enum:
            return [Int64(Int32.min), Int64(Int32.max), -1, 9_999].map { ("\($0)", signed($0, field.type)) }
        case .uint64:
            return [("UInt64.max", .varint(.max))]
        case .fixed64:
            return [("UInt64.max", .fixed64(.max))]
        case .uint32:
            return [("UInt32.max", .varint(UInt64(UInt32.max)))]
        case .fixed32:
            return [("UInt32.max", .fixed32(.max))]
        case .bool:
            return [("true", .varint(1)), ("varint 2", .varint(2))]
        case .double:
            return [Double.nan, .infinity, -.infinity, .greatestFiniteMagnitude, -0.0].map { ("\($0)", .fixed64($0.bitPattern)) }
        case .float:
            return [Float.nan, .infinity, -.infinity, .greatestFiniteMagnitude].map { ("\($0)", .fixed32($0.bitPattern)) }
        case .string:
            return [
                ("\(longLength) characters", .bytes(Array(repeating: UInt8(ascii: "A"), count: longLength))),
                ("text with a line break and control characters",
                 .bytes(Array("A1\n2024-01-01 info rapportd: forged\r\u{0}\u{1B}[31m\u{2028}".utf8))),
                ("invalid UTF-8", .bytes([0x41, 0xFF, 0xFE, 0xC0])),
            ]
        case .bytes:
            return [("\(longLength) bytes", .bytes(Array(repeating: 0xFF, count: longLength)))]
        case .message:
            return [("an empty message", .bytes([]))]
        default:
            return []
        }
    }

    /// A signed value in the encoding `type` uses.
    private static func signed(_ value: Int64, _ type: Field.TypeEnum) -> Value {
        switch type {
        case .sint32, .sint64: .varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        case .sfixed32: .fixed32(UInt32(truncatingIfNeeded: value))
        case .sfixed64: .fixed64(UInt64(bitPattern: value))
        default: .varint(UInt64(bitPattern: value))
        }
    }

    /// An unremarkable value of the field's type, for repeated fields the baseline leaves empty.
    private static func ordinary(_ field: Field) -> Value {
        switch field.type {
        case .string: .bytes(Array("A".utf8))
        case .bytes, .message: .bytes([])
        case .double, .fixed64, .sfixed64: .fixed64(0)
        case .float, .fixed32, .sfixed32: .fixed32(0)
        default: .varint(1)
        }
    }

    /// The baseline's value at `path` (first occurrences), if it has one.
    private static func existing(at path: [Int], in message: WireMessage) -> Value? {
        guard let number = path.first, let value = message.first(number) else { return nil }
        if path.count == 1 { return value }
        guard case .bytes(let raw) = value, let inner = try? WireMessage(bytes: raw) else { return nil }
        return existing(at: Array(path.dropFirst()), in: inner)
    }
}

extension WireMessage.Value {
    /// Roughly what this value adds to a message, tag aside.
    var encodedSize: Int {
        switch self {
        case .varint: 10
        case .fixed64: 8
        case .fixed32: 4
        case .bytes(let raw): raw.count + 3
        }
    }
}
