import Synchronization

/// The serving status of the whole server ("") and of each service, with watchers told of every change.
public final class HealthMonitor: Sendable {
    /// A service's status as health checks report it.
    public enum ServingStatus: Sendable, Hashable {
        case serving
        case notServing
        /// The name is not a service this server has.
        case serviceUnknown
    }

    private struct Watcher {
        let service: String
        let continuation: AsyncStream<ServingStatus>.Continuation
    }

    private struct State {
        var statuses: [String: ServingStatus] = [:]
        var watchers: [Int: Watcher] = [:]
        var nextWatcherID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The current status of a service, or of the whole server for "".
    public func status(of service: String) -> ServingStatus {
        state.withLock { $0.statuses[service] ?? .serviceUnknown }
    }

    /// Sets a service's status (or the server's, for "") and tells its watchers if it changed.
    public func setStatus(_ status: ServingStatus, for service: String) {
        state.withLock { state in
            guard state.statuses[service] != status else { return }
            state.statuses[service] = status
            for watcher in state.watchers.values where watcher.service == service {
                watcher.continuation.yield(status)
            }
        }
    }

    /// Marks the server and every known service NOT_SERVING: shutdown has begun.
    public func markAllNotServing() {
        let services = state.withLock { Array($0.statuses.keys) }
        for service in services {
            setStatus(.notServing, for: service)
        }
    }

    /// The current status at once, then each change; only the newest is kept for a slow reader.
    public func updates(for service: String) -> AsyncStream<ServingStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: ServingStatus.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[id] = Watcher(service: service, continuation: continuation)
            continuation.yield(state.statuses[service] ?? .serviceUnknown)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }
}
