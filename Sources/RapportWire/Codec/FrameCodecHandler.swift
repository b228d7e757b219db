import NIOCore
import NIOExtras
import SwiftProtobuf

/// Turns frame bodies into `Rapport_Wire_V1_Frame` messages and back.
///
/// Sits after `BoundedFrameDecoder` (inbound) and before `LengthFieldPrepender` (outbound).
public final class FrameCodecHandler: ChannelDuplexHandler, Sendable {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = Rapport_Wire_V1_Frame
    public typealias OutboundIn = Rapport_Wire_V1_Frame
    public typealias OutboundOut = ByteBuffer

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let body = unwrapInboundIn(data)
        do {
            context.fireChannelRead(wrapInboundOut(try Self.decode(body)))
        } catch {
            context.fireErrorCaught(error)
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        do {
            let bytes: [UInt8] = try frame.serializedBytes()
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.write(wrapOutboundOut(buffer), promise: promise)
        } catch {
            promise?.fail(error)
        }
    }

    /// Decodes one frame body; a body that is not a `Frame`, or a `Frame` with no kind set, is malformed.
    public static func decode(_ body: ByteBuffer) throws -> Rapport_Wire_V1_Frame {
        let frame: Rapport_Wire_V1_Frame
        do {
            frame = try Rapport_Wire_V1_Frame(serializedBytes: ByteBufferBytes(body))
        } catch {
            throw WireProtocolError(.malformedFrame, "frame of \(body.readableBytes) bytes is not a valid rapport.wire.v1.Frame")
        }
        guard frame.kind != nil else {
            throw WireProtocolError(.malformedFrame, "frame has no kind set (request, response, cancel, ping, pong or go_away)")
        }
        return frame
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Adds the Rapport framing: 4-byte big-endian length prefix + `Frame`, with a maximum frame
    /// size and, when given, the time a started frame may take to arrive (see `BoundedFrameDecoder`).
    public func addRapportFrameCodec(maxFrameSize: Int, frameTimeout: Duration? = nil) throws {
        try addHandler(ByteToMessageHandler(BoundedFrameDecoder(maxFrameSize: maxFrameSize, frameTimeout: frameTimeout)))
        try addHandler(LengthFieldPrepender(lengthFieldBitLength: .fourBytes, lengthFieldEndianness: .big))
        try addHandler(FrameCodecHandler())
    }
}

/// A `ByteBuffer`'s readable bytes as SwiftProtobuf's input, so a frame decodes without a copy.
struct ByteBufferBytes: SwiftProtobufContiguousBytes {
    var buffer: ByteBuffer

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    init(repeating: UInt8, count: Int) {
        buffer = ByteBuffer(repeating: repeating, count: count)
    }

    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        buffer = ByteBuffer(bytes: sequence)
    }

    var count: Int { buffer.readableBytes }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes(body)
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeMutableReadableBytes(body)
    }
}
