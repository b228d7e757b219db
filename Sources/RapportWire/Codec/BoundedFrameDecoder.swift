import NIOCore
import NIOExtras

/// Splits the byte stream into frame bodies at their 4-byte big-endian length prefixes,
/// refusing any frame longer than `maxFrameSize` before buffering its body, and (with a
/// `frameTimeout`) any frame that is not complete that long after its first byte arrived.
///
/// nio-extras' `LengthFieldBasedFrameDecoder` does the splitting; it has no limit of its
/// own (only `Int32.max`), so this decoder looks at each length prefix first.
public final class BoundedFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The 4-byte length prefix that precedes every frame.
    public static let prefixLength = 4

    private let maxFrameSize: Int
    private let frameTimeout: Duration?
    private let splitter = LengthFieldBasedFrameDecoder(lengthFieldBitLength: .fourBytes, lengthFieldEndianness: .big)
    /// True while the next bytes are a length prefix rather than a frame body.
    private var atPrefix = true
    /// True until the first frame's prefix is read: only there can a TLS record stand.
    private var atFirstPrefix = true
    /// Armed when a frame starts arriving, cancelled when it completes: without it, a peer that
    /// trickles a frame keeps up to `maxFrameSize` buffered for as long as it likes.
    private var partialFrameTimer: Scheduled<Void>?

    /// - Parameters:
    ///   - maxFrameSize: the largest frame body accepted.
    ///   - frameTimeout: how long a started frame may take to complete; nil waits forever. When
    ///     it passes, a `WireProtocolError` of kind `.frameTimeout` is fired down the pipeline.
    public init(maxFrameSize: Int, frameTimeout: Duration? = nil) {
        self.maxFrameSize = maxFrameSize
        self.frameTimeout = frameTimeout
    }

    public func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let state = try split(&buffer, context: context)
        if frameTimeout != nil {
            trackPartialFrame(state: state, partial: !atPrefix || buffer.readableBytes > 0, context: context)
        }
        return state
    }

    /// What the decoder says when a connection's first bytes are a TLS record, not a frame.
    public static let tlsPeerMessage = "the peer speaks TLS: its first bytes are a TLS record, not a Rapport frame"

    /// A TLS record starts with its content type (20 change-cipher-spec, 21 alert, 22 handshake,
    /// 23 application data) and major version 3: read as a length prefix, 0x14..0x17 then 0x03.
    static func looksLikeTLS(_ prefix: UInt32) -> Bool {
        (0x14...0x17).contains(prefix >> 24) && (prefix >> 16) & 0xFF == 0x03
    }

    public func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        cancelTimer()
        while try split(&buffer, context: context) == .continue {}
        if buffer.readableBytes > 0 || !atPrefix {
            throw WireProtocolError(.truncatedFrame, "connection closed in the middle of a frame")
        }
        return .needMoreData
    }

    public func decoderRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func split(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) throws -> DecodingState {
        if atPrefix {
            guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
                return .needMoreData
            }
            let first = atFirstPrefix
            atFirstPrefix = false
            guard Int(length) <= maxFrameSize else {
                if first, Self.looksLikeTLS(length) {
                    throw WireProtocolError(.frameTooLarge, Self.tlsPeerMessage)
                }
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

    /// A frame came out (`.continue`): its timer stops. Waiting with bytes of a frame held: the
    /// frame's timer starts unless it already runs for this frame.
    private func trackPartialFrame(state: DecodingState, partial: Bool, context: ChannelHandlerContext) {
        if state == .continue {
            cancelTimer()
        } else if partial, partialFrameTimer == nil, let frameTimeout {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            partialFrameTimer = context.eventLoop.scheduleTask(in: TimeAmount(frameTimeout)) {
                let (decoder, context) = bound.value
                guard decoder.partialFrameTimer != nil else { return }
                decoder.partialFrameTimer = nil
                context.fireErrorCaught(
                    WireProtocolError(.frameTimeout, "frame not completed within \(frameTimeout) of its first byte"))
            }
        } else if !partial {
            cancelTimer()
        }
    }

    private func cancelTimer() {
        partialFrameTimer?.cancel()
        partialFrameTimer = nil
    }
}
