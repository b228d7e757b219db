import Synchronization

/// The open connections of a server, so shutdown can reach each of them, and the count the
/// connection limit is held to.
final class ConnectionSet: Sendable {
    private struct State {
        var open: [UInt64: ServerConnection] = [:]
        /// Connections admitted by `reserve` and not yet released: open ones and those being set up.
        var reserved = 0
        var lastID: UInt64 = 0
        var draining = false
    }

    private let state = Mutex(State())

    func nextID() -> UInt64 {
        state.withLock {
            $0.lastID += 1
            return $0.lastID
        }
    }

    /// Takes a place for a new connection; false when `limit` connections already hold one.
    func reserve(limit: Int) -> Bool {
        state.withLock { state in
            guard state.reserved < limit else { return false }
            state.reserved += 1
            return true
        }
    }

    /// Gives back a place taken by `reserve`.
    func release() {
        state.withLock { $0.reserved -= 1 }
    }

    /// Tracks a connection; returns true when shutdown has already begun, so it must drain at once.
    func insert(_ connection: ServerConnection) -> Bool {
        state.withLock {
            $0.open[connection.id] = connection
            return $0.draining
        }
    }

    func remove(_ connection: ServerConnection) {
        _ = state.withLock { $0.open.removeValue(forKey: connection.id) }
    }

    /// Marks the set as draining and returns the connections open now.
    func beginDraining() -> [ServerConnection] {
        state.withLock {
            $0.draining = true
            return Array($0.open.values)
        }
    }

    func all() -> [ServerConnection] {
        state.withLock { Array($0.open.values) }
    }
}
