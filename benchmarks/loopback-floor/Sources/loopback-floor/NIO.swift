import NIOCore
import NIOPosix
import Foundation

/// Splits the inbound bytes into whole frames (4-byte big-endian length, then the body), header included.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
              buffer.readableBytes >= 4 + Int(length),
              let frame = buffer.readSlice(length: 4 + Int(length))
        else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}

/// `nio` server handler: writes each frame back, flushing once per read burst.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

/// Why a NIO client's run failed.
enum ClientError: Error {
    case connectionClosed
    case echoMismatch
}

/// `nio` and `nio-loop` server: SwiftNIO on the shared event loop group, TCP_NODELAY, echoing frames.
func runNIOServer(port: Int) throws -> Never {
    let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(ByteToMessageHandler(FrameDecoder()), EchoHandler())
            }
        }
        .bind(host: "127.0.0.1", port: port)
        .wait()
    announce(port: channel.localAddress?.port ?? port)
    try channel.closeFuture.wait()
    exit(0)
}

/// `nio` client handler: holds the caller's continuation and resumes it with the answer (event loop only).
final class CallHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var pending: CheckedContinuation<ByteBuffer, any Error>?

    /// Sends `frame`; `continuation` gets the answer.
    func call(_ frame: ByteBuffer, channel: any Channel, continuation: CheckedContinuation<ByteBuffer, any Error>) {
        pending = continuation
        channel.writeAndFlush(frame, promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        pending.take()?.resume(returning: frame)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending.take()?.resume(throwing: ClientError.connectionClosed)
        context.fireChannelInactive()
    }
}

/// `nio` client: an async loop on Swift's cooperative pool that awaits each answer, resumed from the event loop.
func runNIOClient(port: Int, duration: Double) async throws -> [UInt64] {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(ByteToMessageHandler(FrameDecoder()), CallHandler())
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .get()
    let handler = try await channel.eventLoop.submit {
        NIOLoopBound(try channel.pipeline.syncOperations.handler(type: CallHandler.self), eventLoop: channel.eventLoop)
    }.get()
    let request = ByteBuffer(bytes: requestFrame())
    var samples = [UInt64]()
    samples.reserveCapacity(1 << 20)
    let deadline = nowNanos() + UInt64(duration * 1e9)
    while true {
        let start = nowNanos()
        let answer = try await withCheckedThrowingContinuation { continuation in
            channel.eventLoop.execute { handler.value.call(request, channel: channel, continuation: continuation) }
        }
        let end = nowNanos()
        samples.append(end - start)
        guard answer == request else { throw ClientError.echoMismatch }
        if end >= deadline { break }
    }
    try await channel.close()
    return samples
}

/// `nio-loop` client handler: keeps one frame in flight from the event loop, timing each round trip until the deadline.
final class LoopHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: ByteBuffer
    private let deadline: UInt64
    private let done: EventLoopPromise<[UInt64]>
    private var samples = [UInt64]()
    private var sentAt: UInt64 = 0
    private var finished = false

    init(request: ByteBuffer, deadline: UInt64, done: EventLoopPromise<[UInt64]>) {
        self.request = request
        self.deadline = deadline
        self.done = done
        samples.reserveCapacity(1 << 20)
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let end = nowNanos()
        samples.append(end - sentAt)
        if end < deadline {
            send(context: context)
        } else {
            finished = true
            done.succeed(samples)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            done.fail(ClientError.connectionClosed)
        }
        context.fireChannelInactive()
    }

    private func send(context: ChannelHandlerContext) {
        sentAt = nowNanos()
        context.writeAndFlush(Self.wrapOutboundOut(request), promise: nil)
    }
}

/// `nio-loop` client: the whole loop runs in channel handlers on one event loop.
func runNIOLoopClient(port: Int, duration: Double) async throws -> [UInt64] {
    let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
    let done = eventLoop.makePromise(of: [UInt64].self)
    let request = ByteBuffer(bytes: requestFrame())
    let deadline = nowNanos() + UInt64(duration * 1e9)
    let channel = try await ClientBootstrap(group: eventLoop)
        .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(
                    ByteToMessageHandler(FrameDecoder()),
                    LoopHandler(request: request, deadline: deadline, done: done)
                )
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .get()
    let samples = try await done.futureResult.get()
    try? await channel.closeFuture.get()
    return samples
}
