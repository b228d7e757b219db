import NIOCore
import NIOEmbedded
import RapportWire
import Testing

/// `BoundedFrameDecoder` alone: raw bodies, no protobuf.
@Suite struct BoundedFrameDecoderTests {
    let maxFrameSize = 64

    @Test func oneFrameInOneRead() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        try channel.writeInboundBytes(lengthPrefixed([1, 2, 3, 4, 5]))
        #expect(try channel.readAllInboundBodies() == [[1, 2, 3, 4, 5]])
        #expect(try channel.finish().isClean)
    }

    @Test func frameSplitAcrossByteByByteReads() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let body: [UInt8] = Array(0..<20)
        let wire = lengthPrefixed(body)
        for byte in wire.dropLast() {
            try channel.writeInboundBytes([byte])
            #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        }
        try channel.writeInboundBytes([wire.last!])
        #expect(try channel.readAllInboundBodies() == [body])
        #expect(try channel.finish().isClean)
    }

    @Test func manyFramesInOneReadComeOutInOrder() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let bodies: [[UInt8]] = [[0xA1], [], Array(repeating: 0xB2, count: 64), [0xC3, 0xC4]]
        try channel.writeInboundBytes(bodies.flatMap(lengthPrefixed))
        #expect(try channel.readAllInboundBodies() == bodies)
        #expect(try channel.finish().isClean)
    }

    @Test func zeroLengthBodyIsEmittedAsAnEmptyFrame() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        try channel.writeInboundBytes(lengthPrefix(0))
        #expect(try channel.readAllInboundBodies() == [[]])
        #expect(try channel.finish().isClean)
    }

    @Test func frameOfExactlyMaxFrameSizeIsAccepted() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let body = [UInt8](repeating: 0x5A, count: maxFrameSize)
        try channel.writeInboundBytes(lengthPrefixed(body))
        #expect(try channel.readAllInboundBodies() == [body])
        #expect(try channel.finish().isClean)
    }

    @Test func prefixOfMaxPlusOneIsRefusedBeforeAnyBodyByte() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let prefix = lengthPrefix(UInt32(maxFrameSize + 1))
        // Three prefix bytes are not enough to judge.
        try channel.writeInboundBytes(Array(prefix.prefix(3)))
        // The fourth is: no byte of the body has been sent.
        let error = #expect(throws: WireProtocolError.self) {
            try channel.writeInboundBytes([prefix[3]])
        }
        #expect(error?.kind == .frameTooLarge)
        #expect(error?.statusCode == .resourceExhausted)
        #expect(error?.statusCode.description == "RESOURCE_EXHAUSTED")
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test(arguments: [UInt32(65), 1 << 20, UInt32(Int32.max), UInt32.max])
    func oversizedPrefixIsRefused(_ length: UInt32) throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let error = #expect(throws: WireProtocolError.self) {
            try channel.writeInboundBytes(lengthPrefix(length))
        }
        #expect(error?.kind == .frameTooLarge)
        _ = try? channel.finish()
    }

    /// A TLS record where the first frame should be (a plain client at a TLS port reads the
    /// server's alert or handshake) is named as TLS, not as an absurd frame size.
    @Test(arguments: [[UInt8]([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32]), [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]])
    func aTLSRecordFirstIsNamedAsTLS(_ bytes: [UInt8]) throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let error = #expect(throws: WireProtocolError.self) { try channel.writeInboundBytes(bytes) }
        #expect(error?.kind == .frameTooLarge)
        #expect(error?.message == BoundedFrameDecoder.tlsPeerMessage)
        _ = try? channel.finish()
    }

    @Test func aTLSLookingPrefixAfterTheFirstFrameIsJustTooLarge() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let error = #expect(throws: WireProtocolError.self) {
            try channel.writeInboundBytes(lengthPrefixed([1]) + [0x16, 0x03, 0x01, 0x02])
        }
        #expect(error?.message.contains("exceeds the limit") == true)
        _ = try? channel.finish()
    }

    @Test func oversizedFrameAfterAGoodOneInTheSameRead() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let error = #expect(throws: WireProtocolError.self) {
            try channel.writeInboundBytes(lengthPrefixed([1, 2, 3]) + lengthPrefix(UInt32(maxFrameSize + 1)))
        }
        #expect(error?.kind == .frameTooLarge)
        #expect(try channel.readAllInboundBodies() == [[1, 2, 3]])
        _ = try? channel.finish()
    }

    @Test func oversizedFrameSplitByteByByteAfterAGoodOne() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        let wire = lengthPrefixed([9, 9]) + lengthPrefix(UInt32(maxFrameSize + 1))
        for byte in wire.dropLast() {
            try channel.writeInboundBytes([byte])
        }
        #expect(try channel.readAllInboundBodies() == [[9, 9]])
        let error = #expect(throws: WireProtocolError.self) {
            try channel.writeInboundBytes([wire.last!])
        }
        #expect(error?.kind == .frameTooLarge)
        _ = try? channel.finish()
    }

    @Test func eofInTheMiddleOfABodyIsATruncatedFrame() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        try channel.writeInboundBytes(lengthPrefix(10) + [1, 2, 3])
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        let error = #expect(throws: WireProtocolError.self) { try channel.finish() }
        #expect(error?.kind == .truncatedFrame)
        #expect(error?.statusCode == .invalidArgument)
    }

    @Test func eofRightAfterAPrefixIsATruncatedFrame() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        try channel.writeInboundBytes(lengthPrefix(10))
        let error = #expect(throws: WireProtocolError.self) { try channel.finish() }
        #expect(error?.kind == .truncatedFrame)
    }

    @Test func eofInTheMiddleOfAPrefixIsATruncatedFrame() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        try channel.writeInboundBytes(lengthPrefixed([7]) + [0, 0])
        #expect(try channel.readAllInboundBodies() == [[7]])
        let error = #expect(throws: WireProtocolError.self) { try channel.finish() }
        #expect(error?.kind == .truncatedFrame)
    }

    @Test func eofOnAFrameBoundaryIsClean() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        try channel.writeInboundBytes(lengthPrefixed([1]) + lengthPrefixed([2, 2]))
        #expect(try channel.readAllInboundBodies() == [[1], [2, 2]])
        #expect(try channel.finish().isClean)
    }

    @Test func eofBeforeAnyByteIsClean() throws {
        let channel = try decoderChannel(maxFrameSize: maxFrameSize)
        #expect(try channel.finish().isClean)
    }
}
