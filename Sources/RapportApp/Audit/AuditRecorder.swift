import Foundation
import Logging
import RapportServer
import RapportServices
import RapportStore
import ServiceLifecycle
import Synchronization

/// Buffers the audit events that are not writes — unmasked reads, refused calls, failed write
/// attempts — and group-commits them off the request path, so auditing costs a read no more
/// than appending to an array.
///
/// `record` never blocks: when the buffer holds `capacity` events, the new one is dropped,
/// counted (`droppedCount`) and reported in the log at the next flush. What a crash can lose:
/// the events buffered since the last flush (at most `flushInterval` of them, or `capacity`).
/// On graceful shutdown the buffer is flushed after the server has stopped taking calls (the
/// recorder is the first service of the group, so it stops last).
public final class AuditRecorder: AuditTrail, CallRefusalObserver, Service, Sendable {
    /// How the buffer behaves.
    public struct Settings: Sendable, Hashable {
        /// Events held at most between flushes; beyond, new events are dropped and counted.
        public var capacity = 65_536
        /// How long events wait for their group commit at most.
        public var flushInterval: Duration = .milliseconds(200)
        /// Events appended per transaction at most.
        public var batchSize = 2_000

        public init() {}
    }

    private struct State {
        var buffer: [AuditEntry] = []
        var dropped = 0
        var droppedUnreported = 0
        var written = 0
    }

    let store: any AuditStore
    let settings: Settings
    let logger: Logger
    private let state = Mutex(State())

    public init(store: any AuditStore, settings: Settings = Settings(), logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    public func record(_ entry: AuditEntry) {
        state.withLock { state in
            guard state.buffer.count < settings.capacity else {
                state.dropped += 1
                state.droppedUnreported += 1
                return
            }
            state.buffer.append(entry)
        }
    }

    public func callRefused(_ refusal: CallRefusal) {
        record(
            AuditEntry(
                time: refusal.time, principal: refusal.principal ?? "", method: refusal.method, customerIDs: [],
                outcome: "\(refusal.code)", detail: "refused", requestID: refusal.requestID, peer: refusal.peer ?? ""))
    }

    /// Events dropped because the buffer was full, since start.
    public var droppedCount: Int { state.withLock { $0.dropped } }
    /// Events written to the trail, since start.
    public var writtenCount: Int { state.withLock { $0.written } }
    /// Events waiting for their group commit.
    public var bufferedCount: Int { state.withLock { $0.buffer.count } }

    /// Flushes every `flushInterval` until graceful shutdown, then once more.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.settings.flushInterval)
                } catch {
                    break
                }
                await self.flush()
            }
        }
        // In a task of its own: when the group is cancelled rather than shut down gracefully,
        // a cancelled task's database write would be refused and the buffer lost.
        _ = await Task { await self.flush() }.value
    }

    /// Writes every buffered event, a batch per transaction. A batch the store refuses goes back
    /// to the front of the buffer (what no longer fits is dropped and counted) and waits for the
    /// next flush.
    /// - Returns: whether the buffer was emptied.
    @discardableResult
    public func flush() async -> Bool {
        reportDrops()
        while true {
            let batch = state.withLock { state -> [AuditEntry] in
                let count = min(state.buffer.count, settings.batchSize)
                let batch = Array(state.buffer.prefix(count))
                state.buffer.removeFirst(count)
                return batch
            }
            guard !batch.isEmpty else { return true }
            do {
                try await store.appendAuditEvents(batch)
                state.withLock { $0.written += batch.count }
            } catch {
                let lost = state.withLock { state -> Int in
                    let room = max(0, settings.capacity - state.buffer.count)
                    state.buffer.insert(contentsOf: batch.prefix(room), at: 0)
                    let lost = batch.count - min(room, batch.count)
                    state.dropped += lost
                    return lost
                }
                logger.warning(
                    "audit events not written; retrying at the next flush",
                    metadata: ["events": "\(batch.count)", "dropped": "\(lost)", "error": "\(error)"])
                return false
            }
        }
    }

    private func reportDrops() {
        let unreported = state.withLock { state -> Int in
            defer { state.droppedUnreported = 0 }
            return state.droppedUnreported
        }
        if unreported > 0 {
            logger.error(
                "audit buffer full: events dropped", metadata: ["dropped": "\(unreported)", "capacity": "\(settings.capacity)"])
        }
    }
}
