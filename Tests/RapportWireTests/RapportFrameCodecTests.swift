import Foundation
import NIOCore
import NIOEmbedded
import RapportWire
import Testing

/// The whole pipeline installed by `addRapportFrameCodec(maxFrameSize:)`.
@Suite struct RapportFrameCodecTests {
    @Test func oneFrameInOneRead() throws {
        let channel = try codecChannel()
        try channel.writeInboundBytes(try onTheWire(SampleFrame.request.frame))
        #expect(try channel.readAllInboundFrames() == [SampleFrame.request.frame])
        #expect(try channel.finish().isClean)
    }

    @Test func frameSplitAcrossByteByByteReads() throws {
        let channel = try codecChannel()
        let wire = try onTheWire(SampleFrame.response.frame)
        for byte in wire.dropLast() {
            try channel.writeInboundBytes([byte])
            #expect(try channel.readInbound(as: Rapport_Wire_V1_Frame.self) == nil)
        }
        try channel.writeInboundBytes([wire.last!])
        #expect(try channel.readAllInboundFrames() == [SampleFrame.response.frame])
        #expect(try channel.finish().isClean)
    }

    @Test func manyFramesInOneReadComeOutInOrder() throws {
        let channel = try codecChannel()
        let frames = SampleFrame.all.map(\.frame) + SampleFrame.all.reversed().map(\.frame)
        try channel.writeInboundBytes(try frames.flatMap(onTheWire))
        #expect(try channel.readAllInboundFrames() == frames)
        #expect(try channel.finish().isClean)
    }

    @Test func zeroLengthBodyIsMalformed() throws {
        let channel = try codecChannel()
        let error = #expect(throws: WireProtocolError.self) { try channel.writeInboundBytes(lengthPrefix(0)) }
        #expect(error?.kind == .malformedFrame)
        _ = try? channel.finish()
    }

    @Test func garbageBodyIsMalformed() throws {
        let channel = try codecChannel()
        let error = #expect(throws: WireProtocolError.self) {
            try channel.writeInboundBytes(lengthPrefixed([UInt8](repeating: 0xFF, count: 8)))
        }
        #expect(error?.kind == .malformedFrame)
        #expect(error?.statusCode == .invalidArgument)
        _ = try? channel.finish()
    }

    /// A request frame whose serialized size is exactly `size` bytes (payload padding).
    func requestFrame(ofSerializedSize size: Int) throws -> Rapport_Wire_V1_Frame {
        for padding in 0..<size {
            let frame = Rapport_Wire_V1_Frame.with {
                $0.request = .with {
                    $0.callID = 1
                    $0.method = "/p.S/M"
                    $0.payload = Data(repeating: 0x42, count: padding)
                }
            }
            if try serialized(frame).count == size { return frame }
        }
        throw WireProtocolError(.protocolViolation, "no request frame of \(size) bytes")
    }

    @Test func frameOfExactlyMaxFrameSizeIsAccepted() throws {
        let channel = try codecChannel(maxFrameSize: 64)
        let frame = try requestFrame(ofSerializedSize: 64)
        try #require(try serialized(frame).count == 64)
        try channel.writeInboundBytes(try onTheWire(frame))
        #expect(try channel.readAllInboundFrames() == [frame])
        #expect(try channel.finish().isClean)
    }

    @Test func frameOfMaxPlusOneIsRefusedAfterOnlyItsPrefix() throws {
        let channel = try codecChannel(maxFrameSize: 64)
        let wire = try onTheWire(try requestFrame(ofSerializedSize: 65))
        let error = #expect(throws: WireProtocolError.self) {
            try channel.writeInboundBytes(Array(wire.prefix(4)))
        }
        #expect(error?.kind == .frameTooLarge)
        #expect(error?.statusCode == .resourceExhausted)
        #expect(try channel.readInbound(as: Rapport_Wire_V1_Frame.self) == nil)
        _ = try? channel.finish()
    }

    @Test func eofInTheMiddleOfAFrameIsATruncatedFrame() throws {
        let channel = try codecChannel()
        let wire = try onTheWire(SampleFrame.goAway.frame)
        try channel.writeInboundBytes(Array(wire.dropLast()))
        let error = #expect(throws: WireProtocolError.self) { try channel.finish() }
        #expect(error?.kind == .truncatedFrame)
    }

    @Test func outboundIsBigEndianLengthThenExactSerializedBytes() throws {
        let channel = try codecChannel()
        let frame = try requestFrame(ofSerializedSize: 300)
        try channel.writeOutbound(frame)
        let bytes = try channel.readAllOutboundBytes()
        #expect(Array(bytes.prefix(4)) == [0x00, 0x00, 0x01, 0x2C])
        #expect(Array(bytes.dropFirst(4)) == (try serialized(frame)))
        #expect(try channel.finish().isClean)
    }

    @Test(arguments: SampleFrame.all)
    func roundTripThroughEncoderAndDecoder(_ sample: SampleFrame) throws {
        let sender = try codecChannel()
        let receiver = try codecChannel()
        try sender.writeOutbound(sample.frame)
        let bytes = try sender.readAllOutboundBytes()
        #expect(bytes == (try onTheWire(sample.frame)))
        try receiver.writeInboundBytes(bytes)
        #expect(try receiver.readAllInboundFrames() == [sample.frame])
        #expect(try sender.finish().isClean)
        #expect(try receiver.finish().isClean)
    }

    @Test func roundTripOfEveryKindInOneStream() throws {
        let sender = try codecChannel()
        let receiver = try codecChannel()
        for sample in SampleFrame.all {
            try sender.writeOutbound(sample.frame)
        }
        try receiver.writeInboundBytes(try sender.readAllOutboundBytes())
        #expect(try receiver.readAllInboundFrames() == SampleFrame.all.map(\.frame))
        #expect(try sender.finish().isClean)
        #expect(try receiver.finish().isClean)
    }
}
