import NIOCore
import NIOEmbedded
import RapportWire
import Testing

/// `FrameCodecHandler` alone: frame bodies in, `Frame`s out, and back.
@Suite struct FrameCodecHandlerTests {
    func handlerChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(FrameCodecHandler())
        return channel
    }

    @Test(arguments: SampleFrame.all)
    func decodesABody(_ sample: SampleFrame) throws {
        let channel = try handlerChannel()
        try channel.writeInboundBytes(try serialized(sample.frame))
        #expect(try channel.readAllInboundFrames() == [sample.frame])
        #expect(try channel.finish().isClean)
    }

    static let garbageBodies: [[UInt8]] = [
        [UInt8](repeating: 0xFF, count: 8),  // a varint tag that never ends
        [UInt8](repeating: 0xFF, count: 11),  // a varint tag longer than 10 bytes
        [0x0A, 0x05, 0x08],  // request field announcing 5 bytes, 1 present
        [0x0F],  // field 1 with the invalid wire type 7
    ]

    @Test(arguments: garbageBodies)
    func garbageBodyIsMalformed(_ body: [UInt8]) throws {
        let channel = try handlerChannel()
        let error = #expect(throws: WireProtocolError.self) { try channel.writeInboundBytes(body) }
        #expect(error?.kind == .malformedFrame)
        #expect(error?.statusCode == .invalidArgument)
        #expect(error?.statusCode.description == "INVALID_ARGUMENT")
        #expect(try channel.readInbound(as: Rapport_Wire_V1_Frame.self) == nil)
        _ = try? channel.finish()
    }

    /// An empty body, or one with only unknown fields, parses as a Frame with no kind.
    @Test(arguments: [[], [0x38, 0x01]] as [[UInt8]])
    func frameWithNoKindIsMalformed(_ body: [UInt8]) throws {
        let channel = try handlerChannel()
        let error = #expect(throws: WireProtocolError.self) { try channel.writeInboundBytes(body) }
        #expect(error?.kind == .malformedFrame)
        #expect(error?.statusCode == .invalidArgument)
        _ = try? channel.finish()
    }

    @Test func staticDecodeRefusesAFrameWithNoKind() throws {
        let error = #expect(throws: WireProtocolError.self) {
            try FrameCodecHandler.decode(ByteBuffer(bytes: try serialized(Rapport_Wire_V1_Frame())))
        }
        #expect(error?.kind == .malformedFrame)
        let ping = try FrameCodecHandler.decode(ByteBuffer(bytes: try serialized(SampleFrame.ping.frame)))
        #expect(ping == SampleFrame.ping.frame)
    }

    @Test(arguments: SampleFrame.all)
    func encodesTheExactSerializedBytes(_ sample: SampleFrame) throws {
        let channel = try handlerChannel()
        try channel.writeOutbound(sample.frame)
        #expect(try channel.readAllOutboundBytes() == serialized(sample.frame))
        #expect(try channel.finish().isClean)
    }
}
