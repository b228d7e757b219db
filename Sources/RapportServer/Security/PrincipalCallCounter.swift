import Synchronization

/// Calls in flight per principal, across every connection, held to each principal's limit.
final class PrincipalCallCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Takes a place for one call of `principal`; false when `limit` calls already hold one.
    func acquire(_ principal: String, limit: Int) -> Bool {
        counts.withLock { counts in
            let current = counts[principal, default: 0]
            guard current < limit else { return false }
            counts[principal] = current + 1
            return true
        }
    }

    /// Gives back the place of a finished call.
    func release(_ principal: String) {
        counts.withLock { counts in
            let remaining = counts[principal, default: 1] - 1
            counts[principal] = remaining > 0 ? remaining : nil
        }
    }

    /// Calls in flight for `principal`.
    func inFlight(_ principal: String) -> Int {
        counts.withLock { $0[principal, default: 0] }
    }
}
