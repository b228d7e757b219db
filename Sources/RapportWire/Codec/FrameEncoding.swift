import Foundation
import NIOCore
import SwiftProtobuf

/// A serialized protobuf message held in a `ByteBuffer` with room reserved in front of it for
/// a Response frame's header (length prefix included), so that a payload is serialized once,
/// straight into the buffer that goes to the socket: `try message.serializedBytes() as MessageBuffer`,
/// then `FrameEncoding.response(callID:payload:...)`.
public struct MessageBuffer: SwiftProtobufContiguousBytes, Sendable {
    /// Bytes reserved in front of the message: the longest Response header is 29 bytes.
    static let headroom = 32
    /// Bytes reserved behind the message: `end_of_stream = true`.
    static let tailroom = 2

    /// Readable bytes: the message (readerIndex at `headroom` until a header is put in front).
    var buffer: ByteBuffer

    public init(repeating: UInt8, count: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: Self.headroom + count + Self.tailroom)
        buffer.moveWriterIndex(forwardBy: Self.headroom)
        buffer.moveReaderIndex(forwardBy: Self.headroom)
        buffer.writeRepeatingByte(repeating, count: count)
    }

    public init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        let bytes = Array(sequence)
        self.init(repeating: 0, count: bytes.count)
        buffer.setBytes(bytes, at: buffer.readerIndex)
    }

    /// The message's size in bytes.
    public var count: Int { buffer.readableBytes }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes(body)
    }

    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeMutableReadableBytes(body)
    }

    mutating func takeBuffer() -> ByteBuffer {
        let taken = buffer
        buffer = ByteBuffer()
        return taken
    }

    /// The message's bytes, copied out.
    public var bytes: [UInt8] { Array(buffer.readableBytesView) }
}

/// Frames encoded straight into `ByteBuffer`s, length prefix included, ready for the socket.
///
/// The hot frames (a Response carrying a message, a Request) are laid out by hand: proto3 binary
/// with fields in ascending order, exactly as SwiftProtobuf writes them; everything else goes
/// through SwiftProtobuf.
public enum FrameEncoding {
    /// Any frame, serialized by SwiftProtobuf behind its 4-byte length prefix.
    public static func encode(_ frame: Rapport_Wire_V1_Frame) throws -> ByteBuffer {
        let prefixed: LengthPrefixedBytes = try frame.serializedBytes()
        return prefixed.buffer
    }

    /// A Response frame around `payload`, in the payload's own buffer: `status` OK (code 0, empty
    /// message) when `withOKStatus`, as a final Response carries it; none for a stream's messages.
    public static func response(
        callID: UInt64,
        payload: consuming MessageBuffer,
        withOKStatus: Bool,
        endOfStream: Bool
    ) -> ByteBuffer {
        let payloadLength = payload.count
        // The Response's fields in front of the payload bytes: call_id, status, payload tag and length.
        var fieldsBeforePayload = 0
        if callID != 0 { fieldsBeforePayload += 1 + varintSize(callID) }
        if withOKStatus { fieldsBeforePayload += 2 }
        if payloadLength > 0 { fieldsBeforePayload += 1 + varintSize(UInt64(payloadLength)) }
        let responseLength = fieldsBeforePayload + payloadLength + (endOfStream ? 2 : 0)
        let frameLength = 1 + varintSize(UInt64(responseLength)) + responseLength
        let headerLength = 4 + 1 + varintSize(UInt64(responseLength)) + fieldsBeforePayload
        // Taken out of the message so that writing the header in front does not copy the storage.
        var buffer = payload.takeBuffer()
        let start = buffer.readerIndex - headerLength
        buffer.moveReaderIndex(to: start)
        var index = start
        buffer.setInteger(UInt32(frameLength), at: index, endianness: .big)
        index += 4
        index += buffer.setInteger(UInt8(0x12), at: index)
        index += setVarint(UInt64(responseLength), in: &buffer, at: index)
        if callID != 0 {
            index += buffer.setInteger(UInt8(0x08), at: index)
            index += setVarint(callID, in: &buffer, at: index)
        }
        if withOKStatus {
            index += buffer.setInteger(UInt16(0x1200), at: index, endianness: .big)
        }
        if payloadLength > 0 {
            index += buffer.setInteger(UInt8(0x1A), at: index)
            index += setVarint(UInt64(payloadLength), in: &buffer, at: index)
        }
        assert(index == start + headerLength)
        if endOfStream {
            buffer.writeInteger(UInt16(0x2001), endianness: .big)
        }
        return buffer
    }

    /// The size of a Request frame's body (without the length prefix).
    public static func requestFrameSize(
        callID: UInt64, method: String, timeoutMilliseconds: UInt32, metadata: [String: String], payloadCount: Int
    ) -> Int {
        let requestLength = requestSize(
            callID: callID, method: method, timeoutMilliseconds: timeoutMilliseconds, metadata: metadata,
            payloadCount: payloadCount)
        return 1 + varintSize(UInt64(requestLength)) + requestLength
    }

    /// A Request frame, length prefix included.
    public static func request(
        callID: UInt64,
        method: String,
        timeoutMilliseconds: UInt32,
        metadata: [String: String],
        payload: some Collection<UInt8>,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        let requestLength = requestSize(
            callID: callID, method: method, timeoutMilliseconds: timeoutMilliseconds, metadata: metadata,
            payloadCount: payload.count)
        let frameLength = 1 + varintSize(UInt64(requestLength)) + requestLength
        var buffer = allocator.buffer(capacity: 4 + frameLength)
        buffer.writeInteger(UInt32(frameLength), endianness: .big)
        buffer.writeInteger(UInt8(0x0A))
        writeVarint(UInt64(requestLength), to: &buffer)
        if callID != 0 {
            buffer.writeInteger(UInt8(0x08))
            writeVarint(callID, to: &buffer)
        }
        let methodLength = method.utf8.count
        if methodLength > 0 {
            buffer.writeInteger(UInt8(0x12))
            writeVarint(UInt64(methodLength), to: &buffer)
            buffer.writeString(method)
        }
        if timeoutMilliseconds != 0 {
            buffer.writeInteger(UInt8(0x18))
            writeVarint(UInt64(timeoutMilliseconds), to: &buffer)
        }
        for (key, value) in metadata {
            let keyLength = key.utf8.count
            let valueLength = value.utf8.count
            buffer.writeInteger(UInt8(0x22))
            writeVarint(UInt64(mapEntrySize(keyLength: keyLength, valueLength: valueLength)), to: &buffer)
            buffer.writeInteger(UInt8(0x0A))
            writeVarint(UInt64(keyLength), to: &buffer)
            buffer.writeString(key)
            buffer.writeInteger(UInt8(0x12))
            writeVarint(UInt64(valueLength), to: &buffer)
            buffer.writeString(value)
        }
        if !payload.isEmpty {
            buffer.writeInteger(UInt8(0x2A))
            writeVarint(UInt64(payload.count), to: &buffer)
            buffer.writeBytes(payload)
        }
        assert(buffer.readableBytes == 4 + frameLength)
        return buffer
    }

    private static func requestSize(
        callID: UInt64, method: String, timeoutMilliseconds: UInt32, metadata: [String: String], payloadCount: Int
    ) -> Int {
        var size = 0
        if callID != 0 { size += 1 + varintSize(callID) }
        let methodLength = method.utf8.count
        if methodLength > 0 { size += 1 + varintSize(UInt64(methodLength)) + methodLength }
        if timeoutMilliseconds != 0 { size += 1 + varintSize(UInt64(timeoutMilliseconds)) }
        for (key, value) in metadata {
            let entry = mapEntrySize(keyLength: key.utf8.count, valueLength: value.utf8.count)
            size += 1 + varintSize(UInt64(entry)) + entry
        }
        if payloadCount > 0 { size += 1 + varintSize(UInt64(payloadCount)) + payloadCount }
        return size
    }

    /// A map entry as SwiftProtobuf writes it: key (1) and value (2), both always present.
    private static func mapEntrySize(keyLength: Int, valueLength: Int) -> Int {
        1 + varintSize(UInt64(keyLength)) + keyLength + 1 + varintSize(UInt64(valueLength)) + valueLength
    }

    /// Bytes of a base-128 varint.
    public static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    private static func writeVarint(_ value: UInt64, to buffer: inout ByteBuffer) {
        var rest = value
        while rest >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        buffer.writeInteger(UInt8(rest))
    }

    private static func setVarint(_ value: UInt64, in buffer: inout ByteBuffer, at index: Int) -> Int {
        var rest = value
        var offset = index
        while rest >= 0x80 {
            offset += buffer.setInteger(UInt8(truncatingIfNeeded: rest) | 0x80, at: offset)
            rest >>= 7
        }
        offset += buffer.setInteger(UInt8(rest), at: offset)
        return offset - index
    }
}

/// A serialized message behind its 4-byte big-endian length prefix, in one `ByteBuffer`.
struct LengthPrefixedBytes: SwiftProtobufContiguousBytes {
    var buffer: ByteBuffer

    init(repeating: UInt8, count: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: 4 + count)
        buffer.writeInteger(UInt32(truncatingIfNeeded: count), endianness: .big)
        buffer.writeRepeatingByte(repeating, count: count)
    }

    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        let bytes = Array(sequence)
        self.init(repeating: 0, count: bytes.count)
        buffer.setBytes(bytes, at: 4)
    }

    var count: Int { buffer.readableBytes - 4 }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes { try body(UnsafeRawBufferPointer(rebasing: $0.dropFirst(4))) }
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeMutableReadableBytes {
            try body(UnsafeMutableRawBufferPointer(rebasing: $0.dropFirst(4)))
        }
    }
}
