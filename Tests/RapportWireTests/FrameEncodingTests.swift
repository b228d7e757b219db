import Foundation
import NIOCore
import NIOEmbedded
import RapportWire
import Testing

/// `FrameEncoding` and `MessageBuffer`: frames laid out by hand must be what SwiftProtobuf writes.
@Suite struct FrameEncodingTests {
    static let callIDs: [UInt64] = [1, 127, 128, 16_383, 16_384, 0xFFFF_FFFF, .max]
    static let payloadSizes = [0, 1, 64, 127, 128, 300, 20_000]

    func messageBuffer(_ bytes: [UInt8]) -> MessageBuffer {
        MessageBuffer(bytes)
    }

    @Test(arguments: callIDs, payloadSizes)
    func responseMatchesSwiftProtobuf(callID: UInt64, payloadSize: Int) throws {
        let payload = (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for (withStatus, endOfStream) in [(true, true), (false, false), (true, false), (false, true)] {
            let encoded = FrameEncoding.response(
                callID: callID, payload: messageBuffer(payload), withOKStatus: withStatus, endOfStream: endOfStream)
            let expected = Rapport_Wire_V1_Frame.response(
                callID: callID, status: withStatus ? .ok : nil, payload: payload, endOfStream: endOfStream)
            #expect(Array(encoded.readableBytesView) == (try onTheWire(expected)))
        }
    }

    @Test(arguments: callIDs, payloadSizes)
    func requestDecodesAsTheSameFrame(callID: UInt64, payloadSize: Int) throws {
        let payload = [UInt8](repeating: 0x61, count: payloadSize)
        for (timeout, metadata) in [(0, [:]), (10_000, ["x-request-id": "abc"]), (1, ["a": "", "": "b", "k": "v"])]
            as [(UInt32, [String: String])]
        {
            let encoded = FrameEncoding.request(
                callID: callID, method: "/rapport.diagnostics.v1.Diagnostics/Echo", timeoutMilliseconds: timeout,
                metadata: metadata, payload: payload)
            let expected = Rapport_Wire_V1_Frame.with {
                $0.request = .with {
                    $0.callID = callID
                    $0.method = "/rapport.diagnostics.v1.Diagnostics/Echo"
                    $0.timeoutMs = timeout
                    $0.metadata = metadata
                    $0.payload = Data(payload)
                }
            }
            let bytes = Array(encoded.readableBytesView)
            let body = Array(bytes.dropFirst(4))
            #expect(Array(bytes.prefix(4)) == lengthPrefix(UInt32(body.count)))
            #expect(try Rapport_Wire_V1_Frame(serializedBytes: body) == expected)
            #expect(body.count == (try serialized(expected)).count)
            #expect(
                FrameEncoding.requestFrameSize(
                    callID: callID, method: "/rapport.diagnostics.v1.Diagnostics/Echo", timeoutMilliseconds: timeout,
                    metadata: metadata, payloadCount: payloadSize) == body.count)
            if metadata.count <= 1 {
                #expect(body == (try serialized(expected)))
            }
        }
    }

    @Test(arguments: SampleFrame.all)
    func encodeIsLengthPrefixedSerialization(_ sample: SampleFrame) throws {
        let encoded = try FrameEncoding.encode(sample.frame)
        #expect(Array(encoded.readableBytesView) == (try onTheWire(sample.frame)))
    }

    @Test func messageBufferHoldsTheSerializedMessage() throws {
        let message = SampleFrame.request.frame
        let buffer: MessageBuffer = try message.serializedBytes()
        #expect(buffer.bytes == (try serialized(message)))
        #expect(buffer.count == (try serialized(message)).count)
        #expect(try Rapport_Wire_V1_Frame(serializedBytes: buffer) == message)
    }

    @Test func writerSendsFramesInOrderBelowTheCodec() throws {
        let channel = EmbeddedChannel()
        let writer = try CoalescingFrameWriter.install(on: channel)
        try channel.pipeline.syncOperations.addRapportFrameCodec(maxFrameSize: 1 << 20)
        writer.write(SampleFrame.ping.frame)
        writer.write(
            encoded: FrameEncoding.response(
                callID: 9, payload: messageBuffer([1, 2, 3]), withOKStatus: true, endOfStream: true))
        writer.write(SampleFrame.goAway.frame)
        channel.embeddedEventLoop.run()
        let expected = try onTheWire(SampleFrame.ping.frame)
            + onTheWire(.response(callID: 9, status: .ok, payload: [1, 2, 3], endOfStream: true))
            + onTheWire(SampleFrame.goAway.frame)
        #expect(try channel.readAllOutboundBytes() == expected)
        #expect(try channel.finish().isClean)
    }
}
