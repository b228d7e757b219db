import NIOCore
import NIOExtras

/// Splits the byte stream into frame bodies at their 4-byte big-endian length prefixes,
/// refusing any frame longer than `maxFrameSize` before buffering its body.
///
/// nio-extras' `LengthFieldBasedFrameDecoder` does the splitting; it has no limit of its
/// own (only `Int32.max`), so this decoder looks at each length prefix first.
public final class BoundedFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The 4-byte length prefix that precedes every frame.
    public static let prefixLength = 4

    private let maxFrameSize: Int
    private let splitter = LengthFieldBasedFrameDecoder(lengthFieldBitLength: .fourBytes, lengthFieldEndianness: .big)
    /// True while the next bytes are a length prefix rather than a frame body.
    private var atPrefix = true

    public init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    public func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if atPrefix {
            guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
                return .needMoreData
            }
            guard Int(length) <= maxFrameSize else {
                throw WireProtocolError(
                    .frameTooLarge,
                    "frame of \(length) bytes exceeds the limit of \(maxFrameSize) bytes"
                )
            }
        }
        // With the prefix available the splitter always consumes it: it either emits the
        // frame (.continue, back at a prefix) or waits for the rest of the body.
        let state = try splitter.decode(context: context, buffer: &buffer)
        atPrefix = state == .continue
        return state
    }

    public func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 || !atPrefix {
            throw WireProtocolError(.truncatedFrame, "connection closed in the middle of a frame")
        }
        return .needMoreData
    }
}
