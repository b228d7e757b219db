import NIOCore
import NIOEmbedded
import RapportWire
import Testing

/// `BoundedFrameDecoder`'s frame-read timeout, on the embedded event loop's clock.
@Suite struct FrameReadTimeoutTests {
    let timeout: Duration = .seconds(30)

    /// The error the decoder fired, if any.
    private func firedError(_ channel: EmbeddedChannel) -> WireProtocolError? {
        do {
            try channel.throwIfErrorCaught()
            return nil
        } catch let error as WireProtocolError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func frameStartedAndNotFinishedFailsWhenTheTimeoutPasses() throws {
        let channel = try decoderChannel(maxFrameSize: 64, frameTimeout: timeout)
        try channel.writeInboundBytes(lengthPrefix(10) + [1, 2, 3])
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(firedError(channel) == nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let error = firedError(channel)
        #expect(error?.kind == .frameTimeout)
        #expect(error?.statusCode == .deadlineExceeded)
        #expect(error?.message.contains("30.0 seconds") == true)
    }

    @Test func aPartialLengthPrefixAlreadyCountsAsAStartedFrame() throws {
        let channel = try decoderChannel(maxFrameSize: 64, frameTimeout: timeout)
        try channel.writeInboundBytes([0, 0])
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(firedError(channel)?.kind == .frameTimeout)
    }

    @Test func slowFrameThatCompletesInTimeIsDecodedAndNothingFires() throws {
        let channel = try decoderChannel(maxFrameSize: 64, frameTimeout: timeout)
        let wire = lengthPrefixed(Array(0..<20))
        for byte in wire {
            try channel.writeInboundBytes([byte])
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        }
        #expect(try channel.readAllInboundBodies() == [Array(0..<20)])
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        #expect(firedError(channel) == nil)
        #expect(try channel.finish().isClean)
    }

    /// The bound is per frame: frames that each arrive within it may together take far longer.
    @Test func eachFrameHasItsOwnTimeout() throws {
        let channel = try decoderChannel(maxFrameSize: 64, frameTimeout: timeout)
        let first = lengthPrefixed([1, 1, 1])
        let second = lengthPrefixed([2, 2, 2])
        // The second frame starts in the read that completes the first.
        try channel.writeInboundBytes(Array(first.prefix(3)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        try channel.writeInboundBytes(Array(first.dropFirst(3)) + Array(second.prefix(2)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        #expect(firedError(channel) == nil)
        try channel.writeInboundBytes(Array(second.dropFirst(2)))
        #expect(try channel.readAllInboundBodies() == [[1, 1, 1], [2, 2, 2]])
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(firedError(channel) == nil)
    }

    @Test func withoutATimeoutAPartialFrameWaits() throws {
        let channel = try decoderChannel(maxFrameSize: 64)
        try channel.writeInboundBytes(lengthPrefix(10) + [1])
        channel.embeddedEventLoop.advanceTime(by: .seconds(3_600))
        #expect(firedError(channel) == nil)
    }
}
