import NIOCore

/// Writes frames to a channel from any thread or task, in the order `write` is called, and
/// flushes once per event-loop turn instead of once per frame.
///
/// Many calls share a connection, so their frames come from many tasks at once: writing each
/// from its own task through an async writer costs a task hop and a syscall per frame. Here a
/// write is one event-loop task, and the flush is scheduled behind the writes queued so far,
/// so that one `writev` carries all of them. Frames written after the channel closed are
/// dropped (their calls learn of the close from the reader). Cancellation of the writing task
/// does not matter: a call's final status is written even when its handler was cancelled.
public final class CoalescingFrameWriter: Sendable {
    public typealias Frame = Rapport_Wire_V1_Frame

    private let channel: any Channel
    /// Whether a flush is queued; touched on the event loop only.
    private let flushQueued: NIOLoopBoundBox<Bool>

    public init(channel: any Channel) {
        self.channel = channel
        flushQueued = .makeBoxSendingValue(false, eventLoop: channel.eventLoop)
    }

    /// Queues `frame`; it reaches the socket at the end of the current event-loop turn.
    public func write(_ frame: Frame) {
        if channel.eventLoop.inEventLoop {
            writeOnLoop(frame, promise: nil)
        } else {
            channel.eventLoop.execute { self.writeOnLoop(frame, promise: nil) }
        }
    }

    /// Writes `frame` and waits until it was handed to the kernel (or failed), so a producer of
    /// many frames — a stream — never buffers more than the socket takes.
    public func writeAndWait(_ frame: Frame) async throws {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute { self.writeOnLoop(frame, promise: promise) }
        try await promise.futureResult.get()
    }

    /// Returns once everything written before this call was flushed, so that closing the channel
    /// next cannot drop a frame whose flush was still queued behind the close.
    public func flushPending() async {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute {
            self.channel.flush()
            promise.succeed()
        }
        try? await promise.futureResult.get()
    }

    /// The channel's event loop, for timers that belong with the connection.
    public var eventLoop: any EventLoop { channel.eventLoop }

    /// Whether the channel's outbound buffer is below its high-water mark.
    public var isWritable: Bool { channel.isWritable }

    private func writeOnLoop(_ frame: Frame, promise: EventLoopPromise<Void>?) {
        channel.write(frame, promise: promise)
        guard !flushQueued.value else { return }
        flushQueued.value = true
        // Runs after every write already queued on the loop, so one flush covers them all.
        channel.eventLoop.execute {
            self.flushQueued.value = false
            self.channel.flush()
        }
    }
}
