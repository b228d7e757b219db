import Logging
import RapportWire

extension ServerConnection {
    /// How long a connection closed for not reading its answers waits, its side shut, for the
    /// client to read what is queued and the GoAway and to close; then it is closed regardless.
    static let stalledCloseLinger: Duration = .seconds(5)

    /// Closes a connection whose client left `maxQueuedWriteBytes` of answers unread for
    /// `writeStallTimeout`: GoAway RESOURCE_EXHAUSTED behind the queued answers, calls in flight
    /// abandoned. Called on the event loop by `ServerFrameHandler`.
    func closeStalled() {
        let lastCallID = state.withLock { state in
            state.lingerBeforeClose = Self.stalledCloseLinger
            return state.highestCallID
        }
        let timeout = limits.writeStallTimeout
        logger.warning(
            "closing connection: answers not read",
            metadata: [
                "status": "\(StatusCode.resourceExhausted)", "write_stall_timeout": "\(timeout)",
                "max_queued_write_bytes": "\(limits.maxQueuedWriteBytes)",
            ]
        )
        send(
            .goAway(
                .resourceExhausted,
                "answers not read for \(timeout) with more than \(limits.maxQueuedWriteBytes) bytes queued; "
                    + "read answers as they arrive",
                lastCallID: lastCallID))
        closeRequests.finish()
    }

    /// What the connection holds for its client now; see `Server.connectionStatistics()`.
    func statistics() async -> ConnectionStatistics {
        let queued = await outbound.queuedBytes()
        return ConnectionStatistics(
            id: id, queuedWriteBytes: queued.now, peakQueuedWriteBytes: queued.peak,
            isBackpressured: !queued.channelWritable)
    }
}

/// One open connection's write queue, as `Server.connectionStatistics()` reports it.
public struct ConnectionStatistics: Sendable, Hashable {
    /// The connection's number, as in its log lines' `connection` metadata.
    public let id: UInt64
    /// Answer bytes written and not yet taken by the kernel.
    public let queuedWriteBytes: Int
    /// The most such bytes held after a flush since the connection opened.
    public let peakQueuedWriteBytes: Int
    /// Whether the client has left more than `maxQueuedWriteBytes` unread (and not yet read them
    /// down to half): the connection's reading is held, and finished calls wait to queue their answers.
    public let isBackpressured: Bool
}
