/// A protobuf message as the fields on the wire, read without its schema: enough to put any
/// value (one a typed message could not hold, such as a Timestamp's `seconds` at Int64.min)
/// into any field, however deep, of a valid request.
struct WireMessage: Equatable {
    /// One field's value as encoded; the wire type follows from the case.
    enum Value: Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes([UInt8])
    }

    var fields: [(number: Int, value: Value)] = []

    static func == (a: WireMessage, b: WireMessage) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.number == $1.number && $0.value == $1.value }
    }

    init() {}

    /// Parses `bytes`; groups (wire types 3 and 4) are not used by any Rapport message.
    init(bytes: [UInt8]) throws {
        var reader = Reader(bytes: bytes)
        while !reader.isAtEnd {
            let tag = try reader.varint()
            let number = Int(tag >> 3)
            switch tag & 7 {
            case 0: fields.append((number, .varint(try reader.varint())))
            case 1: fields.append((number, .fixed64(try reader.fixed(8))))
            case 2: fields.append((number, .bytes(try reader.bytes(count: Int(try reader.varint())))))
            case 5: fields.append((number, .fixed32(UInt32(try reader.fixed(4)))))
            default: throw Malformed()
            }
        }
    }

    /// The message as bytes, fields in their order.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        for (number, value) in fields {
            switch value {
            case .varint(let raw):
                Self.appendVarint(UInt64(number) << 3, to: &out)
                Self.appendVarint(raw, to: &out)
            case .fixed64(let raw):
                Self.appendVarint(UInt64(number) << 3 | 1, to: &out)
                for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: raw >> UInt64(shift))) }
            case .bytes(let raw):
                Self.appendVarint(UInt64(number) << 3 | 2, to: &out)
                Self.appendVarint(UInt64(raw.count), to: &out)
                out.append(contentsOf: raw)
            case .fixed32(let raw):
                Self.appendVarint(UInt64(number) << 3 | 5, to: &out)
                for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: raw >> UInt32(shift))) }
            }
        }
        return out
    }

    /// The first value of field `number`, if any.
    func first(_ number: Int) -> Value? {
        fields.first { $0.number == number }?.value
    }

    /// This message with the field at `path` (field numbers, outermost first) holding exactly
    /// `values`. Messages along the path are entered at their first occurrence (the first
    /// element of a repeated field) and created empty when absent.
    func setting(_ path: ArraySlice<Int>, to values: [Value]) throws -> WireMessage {
        guard let number = path.first else { return self }
        var copy = self
        if path.count == 1 {
            copy.fields.removeAll { $0.number == number }
            copy.fields.append(contentsOf: values.map { (number, $0) })
            return copy
        }
        let index = copy.fields.firstIndex { $0.number == number }
        var inner = WireMessage()
        if let index, case .bytes(let raw) = copy.fields[index].value {
            inner = try WireMessage(bytes: raw)
        }
        let value = Value.bytes(try inner.setting(path.dropFirst(), to: values).bytes)
        if let index {
            copy.fields[index].value = value
        } else {
            copy.fields.append((number, value))
        }
        return copy
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    struct Malformed: Error {}

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var isAtEnd: Bool { offset >= bytes.count }

        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0
            for shift in stride(from: 0, to: 70, by: 7) {
                guard offset < bytes.count, shift < 64 else { throw Malformed() }
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return result }
            }
            throw Malformed()
        }

        mutating func fixed(_ count: Int) throws -> UInt64 {
            let raw = try self.bytes(count: count)
            return raw.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64($1.offset * 8) }
        }

        mutating func bytes(count: Int) throws -> [UInt8] {
            guard count >= 0, count <= bytes.count - offset else { throw Malformed() }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }
    }
}
