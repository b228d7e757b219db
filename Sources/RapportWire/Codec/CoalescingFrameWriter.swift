import NIOCore
import Synchronization

/// Writes frames to a channel from any thread or task, in the order `write` is called, and
/// flushes once per batch instead of once per frame.
///
/// Many calls share a connection, so their frames come from many tasks at once. Each frame is
/// encoded (length prefix included) by the task that writes it and appended to a queue under a
/// lock; only the write that finds the queue idle asks the event loop to drain it, so a burst of
/// frames costs one event-loop hop, one flush and one `writev`. The encoded bytes enter the
/// pipeline below the frame codec (through a handler installed after TLS and before the codec).
/// Frames written after the channel closed are dropped (their calls learn of the close from the
/// reader). Cancellation of the writing task does not matter: a call's final status is written
/// even when its handler was cancelled.
public final class CoalescingFrameWriter: Sendable {
    public typealias Frame = Rapport_Wire_V1_Frame

    /// Queued bytes above which `isWritable` is false, so streams wait rather than queue without bound.
    static let queueHighWaterMark = 1 << 20

    private struct Queue {
        var items: [(ByteBuffer, EventLoopPromise<Void>?)] = []
        var bytes = 0
        var drainScheduled = false
    }

    private let channel: any Channel
    private let handler: NIOLoopBound<OutboundBytesHandler>
    private let queue = Mutex(Queue())

    /// Adds the writer's handler to `channel`'s pipeline; call on the event loop, after any TLS
    /// handler and before `addRapportFrameCodec`.
    public static func install(on channel: any Channel) throws -> CoalescingFrameWriter {
        let handler = OutboundBytesHandler()
        try channel.pipeline.syncOperations.addHandler(handler)
        return CoalescingFrameWriter(channel: channel, handler: handler)
    }

    private init(channel: any Channel, handler: OutboundBytesHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// Queues `frame`; it reaches the socket with the next drain of the queue.
    public func write(_ frame: Frame) {
        guard let bytes = try? FrameEncoding.encode(frame) else { return }
        write(encoded: bytes)
    }

    /// Queues an encoded frame (length prefix included, from `FrameEncoding`).
    public func write(encoded bytes: ByteBuffer) {
        enqueue(bytes, promise: nil)
    }

    /// Writes `frame` and waits until it was handed to the kernel (or failed), so a producer of
    /// many frames — a stream — never buffers more than the socket takes.
    public func writeAndWait(_ frame: Frame) async throws {
        try await writeAndWait(encoded: try FrameEncoding.encode(frame))
    }

    /// `writeAndWait` for an encoded frame.
    public func writeAndWait(encoded bytes: ByteBuffer) async throws {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        enqueue(bytes, promise: promise)
        try await promise.futureResult.get()
    }

    /// Returns once everything written before this call was flushed, so that closing the channel
    /// next cannot drop a frame whose flush was still queued behind the close.
    public func flushPending() async {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute {
            self.drain()
            self.channel.flush()
            promise.succeed()
        }
        try? await promise.futureResult.get()
    }

    /// The channel's event loop, for timers that belong with the connection.
    public var eventLoop: any EventLoop { channel.eventLoop }

    /// Whether the channel's outbound buffer is below its high-water mark and little is queued.
    public var isWritable: Bool {
        channel.isWritable && queue.withLock { $0.bytes } < Self.queueHighWaterMark
    }

    private func enqueue(_ bytes: ByteBuffer, promise: EventLoopPromise<Void>?) {
        let scheduleDrain = queue.withLock { queue in
            queue.items.append((bytes, promise))
            queue.bytes += bytes.readableBytes
            guard !queue.drainScheduled else { return false }
            queue.drainScheduled = true
            return true
        }
        if scheduleDrain {
            // On the event loop this runs after the work already queued there, so one drain
            // covers every frame written in this turn; from elsewhere it wakes the loop once.
            channel.eventLoop.execute { self.drain() }
        }
    }

    /// Hands everything queued to the channel and flushes; on the event loop only.
    private func drain() {
        let items = queue.withLock { queue in
            queue.drainScheduled = false
            queue.bytes = 0
            let items = queue.items
            queue.items = []
            return items
        }
        guard !items.isEmpty else { return }
        guard let context = handler.value.context else {
            for (_, promise) in items { promise?.fail(ChannelError.ioOnClosedChannel) }
            return
        }
        for (bytes, promise) in items {
            context.write(NIOAny(bytes), promise: promise)
        }
        context.flush()
    }
}

/// Passes encoded frames from a `CoalescingFrameWriter` down the pipeline, below the frame codec.
final class OutboundBytesHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private(set) var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }
}
