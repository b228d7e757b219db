import NIOCore
import NIOEmbedded
import RapportWire

// Small helpers shared by the suites of this target.

/// `body` preceded by its 4-byte big-endian length.
func lengthPrefixed(_ body: [UInt8]) -> [UInt8] {
    lengthPrefix(UInt32(body.count)) + body
}

/// A 4-byte big-endian length prefix announcing `length` bytes, with no body.
func lengthPrefix(_ length: UInt32) -> [UInt8] {
    [UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
     UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
}

/// The exact serialized bytes of a frame.
func serialized(_ frame: Rapport_Wire_V1_Frame) throws -> [UInt8] {
    try frame.serializedBytes()
}

/// A frame as it travels on the socket: length prefix, then serialized bytes.
func onTheWire(_ frame: Rapport_Wire_V1_Frame) throws -> [UInt8] {
    lengthPrefixed(try serialized(frame))
}

/// A channel with only `BoundedFrameDecoder` (wrapped in a `ByteToMessageHandler`).
func decoderChannel(maxFrameSize: Int, frameTimeout: Duration? = nil) throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(
        ByteToMessageHandler(BoundedFrameDecoder(maxFrameSize: maxFrameSize, frameTimeout: frameTimeout)))
    return channel
}

/// A channel with the full Rapport frame codec.
func codecChannel(maxFrameSize: Int = 1 << 20) throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addRapportFrameCodec(maxFrameSize: maxFrameSize)
    return channel
}

extension EmbeddedChannel {
    /// Writes `bytes` inbound as one read.
    @discardableResult
    func writeInboundBytes(_ bytes: [UInt8]) throws -> BufferState {
        try writeInbound(ByteBuffer(bytes: bytes))
    }

    /// Every inbound `ByteBuffer` emitted so far, as byte arrays.
    func readAllInboundBodies() throws -> [[UInt8]] {
        var bodies: [[UInt8]] = []
        while let body = try readInbound(as: ByteBuffer.self) {
            bodies.append(Array(body.readableBytesView))
        }
        return bodies
    }

    /// Every inbound `Frame` emitted so far.
    func readAllInboundFrames() throws -> [Rapport_Wire_V1_Frame] {
        var frames: [Rapport_Wire_V1_Frame] = []
        while let frame = try readInbound(as: Rapport_Wire_V1_Frame.self) {
            frames.append(frame)
        }
        return frames
    }

    /// Every outbound byte written so far, concatenated (the length prefix and body may be separate writes).
    func readAllOutboundBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try readOutbound(as: ByteBuffer.self) {
            bytes += buffer.readableBytesView
        }
        return bytes
    }
}
