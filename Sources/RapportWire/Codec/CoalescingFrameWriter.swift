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

    /// Queued bytes above which `isWritable` is false unless told otherwise, so streams wait
    /// rather than queue without bound.
    public static let defaultQueueLimit = 1 << 20

    private struct Queue {
        var items: [(ByteBuffer, EventLoopPromise<Void>?)] = []
        var bytes = 0
        var drainScheduled = false
    }

    private let channel: any Channel
    private let handler: NIOLoopBound<OutboundBytesHandler>
    private let queue = Mutex(Queue())
    private let room: WriteRoom
    /// Bytes this writer may hold before handing them to the channel, beyond which `isWritable`
    /// is false (the channel's own buffer has its high-water mark).
    private let queueLimit: Int

    /// Adds the writer's handler to `channel`'s pipeline; call on the event loop, after any TLS
    /// handler and before `addRapportFrameCodec`. `queueLimit`: see `isWritable`.
    public static func install(on channel: any Channel, queueLimit: Int = defaultQueueLimit) throws -> CoalescingFrameWriter {
        let room = WriteRoom()
        let handler = OutboundBytesHandler(room: room)
        try channel.pipeline.syncOperations.addHandler(handler)
        return CoalescingFrameWriter(channel: channel, handler: handler, room: room, queueLimit: queueLimit)
    }

    private init(channel: any Channel, handler: OutboundBytesHandler, room: WriteRoom, queueLimit: Int) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        self.room = room
        self.queueLimit = queueLimit
    }

    /// Returns once `isWritable` holds (at once, usually), the channel closed, or the task is
    /// cancelled: a producer that waits here before writing keeps what it has to write itself
    /// while the peer is not reading, instead of adding it to the queue.
    public func waitForRoom() async {
        guard !isWritable else { return }
        await room.wait { [weak self] in self?.isWritable ?? true }
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

    /// `writeAndWait` for an encoded frame. Cancelling the waiting task ends the wait with
    /// `CancellationError` (the frame stays queued): a client that stopped reading must not keep
    /// a cancelled stream, and the connection's close that waits for it, waiting forever.
    public func writeAndWait(encoded bytes: ByteBuffer) async throws {
        let written = channel.eventLoop.makePromise(of: Void.self)
        enqueue(bytes, promise: written)
        let waited = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.cascade(to: waited)
        try await withTaskCancellationHandler {
            try await waited.futureResult.get()
        } onCancel: {
            // The second of the two completions is ignored.
            waited.fail(CancellationError())
        }
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

    /// Bytes written and not yet taken by the kernel (the channel's buffer, and what this writer
    /// has not handed to it yet), now and at most since the channel opened (sampled after each
    /// flush), and whether the channel is writable (below its high-water mark).
    public func queuedBytes() async -> (now: Int, peak: Int, channelWritable: Bool) {
        let promise = channel.eventLoop.makePromise(of: (now: Int, peak: Int, channelWritable: Bool).self)
        channel.eventLoop.execute {
            let now = self.channelBufferedBytes() + self.queue.withLock { $0.bytes }
            promise.succeed((now, max(now, self.handler.value.peakBufferedBytes), self.channel.isWritable))
        }
        return (try? await promise.futureResult.get()) ?? (0, 0, true)
    }

    /// Shuts the channel's output once everything written is sent (the peer reads a clean end after
    /// the last frame, where closing a socket with unread input would reset it and drop what is
    /// still unsent), then waits for the peer to close, at most `linger`; on the event loop's terms.
    public func finishOutput(lingering linger: Duration) async {
        let done = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute {
            self.drain()
            self.channel.close(mode: .output, promise: nil)
            let timer = self.channel.eventLoop.scheduleTask(in: TimeAmount(linger)) { done.succeed() }
            self.channel.closeFuture.whenComplete { _ in
                timer.cancel()
                done.succeed()
            }
        }
        try? await done.futureResult.get()
    }

    /// The channel's pending outbound bytes; on the event loop only.
    private func channelBufferedBytes() -> Int {
        (try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
    }

    /// Whether the channel's outbound buffer is below its high-water mark and less than
    /// `queueLimit` bytes wait to be handed to it.
    public var isWritable: Bool {
        channel.isWritable && queue.withLock { $0.bytes } < queueLimit
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
        // The next waiting producer, once this batch is in the channel and there is still room.
        defer {
            if room.isAwaited, isWritable {
                room.wakeOne()
            }
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
        let buffered = channelBufferedBytes()
        if buffered > handler.value.peakBufferedBytes {
            handler.value.peakBufferedBytes = buffered
        }
    }
}

/// Passes encoded frames from a `CoalescingFrameWriter` down the pipeline, below the frame codec,
/// and tells the writer's waiting producers when the channel may take more.
final class OutboundBytesHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let room: WriteRoom

    init(room: WriteRoom) {
        self.room = room
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            room.wakeOne()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        room.close()
        context.fireChannelInactive()
    }

    private(set) var context: ChannelHandlerContext?
    /// The most bytes the channel held unsent after a flush, for `CoalescingFrameWriter.queuedBytes()`.
    var peakBufferedBytes = 0

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        room.close()
    }
}
