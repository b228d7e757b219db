import NIOCore
import NIOPosix
import RapportWire
import Synchronization

/// A bare TCP connection to the daemon whose writes and reads the test paces: bytes sent when
/// and as slowly as it likes, and reading that can start late, for clients that trickle frames or
/// do not read their answers.
final class RawStream: Sendable {
    typealias Frame = Rapport_Wire_V1_Frame

    private let channel: any Channel
    private let received: Received

    private final class Received: Sendable {
        let state = Mutex((bytes: ByteBuffer(), closed: false))
    }

    private init(channel: any Channel, received: Received) {
        self.channel = channel
        self.received = received
    }

    /// Connects; with `reading` false nothing is read until `startReading()`, and a small
    /// `receiveBufferSize` keeps the kernel from taking many answers on the test's behalf.
    static func connect(port: Int, reading: Bool = true, receiveBufferSize: Int? = nil) async throws -> RawStream {
        let received = Received()
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: reading)
        if let receiveBufferSize {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferSize))
        }
        let channel = try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawStream(channel: channel, received: received)
    }

    /// Queues `bytes` for sending without waiting for them to leave (the server may not be reading).
    func send(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Sends `bytes` in pieces of `chunk` bytes, `interval` apart.
    func trickle(_ bytes: [UInt8], chunk: Int = 1, every interval: Duration) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes[offset..<end])).get()
            offset = end
            if offset < bytes.count { try await Task.sleep(for: interval) }
        }
    }

    func startReading() {
        _ = channel.setOption(.autoRead, value: true)
    }

    /// The complete frames received so far.
    var frames: [Frame] {
        get throws {
            var bytes = received.state.withLock { $0.bytes }
            var frames: [Frame] = []
            while let length = bytes.getInteger(at: bytes.readerIndex, endianness: .big, as: UInt32.self),
                  bytes.readableBytes >= 4 + Int(length) {
                bytes.moveReaderIndex(forwardBy: 4)
                frames.append(try Frame(serializedBytes: bytes.readBytes(length: Int(length)) ?? []))
            }
            return frames
        }
    }

    /// Whether the connection is closed (by the server, or after an error).
    var isClosed: Bool { received.state.withLock { $0.closed } }

    func close() async {
        try? await channel.close()
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: Received

        init(received: Received) {
            self.received = received
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = unwrapInboundIn(data)
            _ = received.state.withLock { $0.bytes.writeBuffer(&chunk) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // A reset by the server is a close too.
            context.close(promise: nil)
        }
    }
}

extension Rapport_Wire_V1_Frame {
    /// The status of the GoAway this frame carries, if it is one.
    var goAwayStatus: Rapport_Wire_V1_Status? {
        if case .goAway(let goAway) = kind { return goAway.status }
        return nil
    }

    /// The Response this frame carries, if it is one.
    var answer: Rapport_Wire_V1_Response? {
        if case .response(let response) = kind { return response }
        return nil
    }
}
