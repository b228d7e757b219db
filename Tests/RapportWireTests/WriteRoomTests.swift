import NIOCore
import NIOEmbedded
import RapportWire
import Synchronization
import Testing

/// `CoalescingFrameWriter.waitForRoom()`: a producer waits while the channel takes no more, and
/// never longer than the channel lives or the producer's task is wanted.
@Suite struct WriteRoomTests {
    @Test(.timeLimit(.minutes(1))) func waitsWhileTheChannelIsNotWritableAndGoesOnWhenItIs() async throws {
        let channel = NIOAsyncTestingChannel()
        let writer = try await channel.testingEventLoop.executeInContext { try CoalescingFrameWriter.install(on: channel) }
        channel.isWritable = false
        let done = Done()
        let waiter = Task {
            await writer.waitForRoom()
            done.mark()
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(!done.isMarked)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        await waiter.value
        #expect(done.isMarked)
        _ = try? await channel.finish()
    }

    @Test(.timeLimit(.minutes(1))) func aCancelledWaiterGoesOn() async throws {
        let channel = NIOAsyncTestingChannel()
        let writer = try await channel.testingEventLoop.executeInContext { try CoalescingFrameWriter.install(on: channel) }
        channel.isWritable = false
        let waiter = Task { await writer.waitForRoom() }
        try await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        await waiter.value
        _ = try? await channel.finish()
    }

    @Test(.timeLimit(.minutes(1))) func closingTheChannelReleasesWaitersAndLaterOnesDoNotWait() async throws {
        let channel = NIOAsyncTestingChannel()
        let writer = try await channel.testingEventLoop.executeInContext { try CoalescingFrameWriter.install(on: channel) }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1))
        channel.isWritable = false
        let waiter = Task { await writer.waitForRoom() }
        try await Task.sleep(for: .milliseconds(100))
        try await channel.close()
        await waiter.value
        await writer.waitForRoom()
    }
}

/// Set once, read from another task.
private final class Done: Sendable {
    private let marked = Atomic(false)
    func mark() { marked.store(true, ordering: .sequentiallyConsistent) }
    var isMarked: Bool { marked.load(ordering: .sequentiallyConsistent) }
}
