import Synchronization

/// The last value a read produced, kept for callers who accept it up to a given age, refreshed
/// by one read at a time.
///
/// Why: recommendations read the statistics on every request, and re-reading a few thousand
/// rows per request would cost more than the ranking. A caller within `maxAge` of the last read
/// gets the kept value without any read; when it is older, the first caller to notice starts
/// one read and waits for it while every concurrent caller keeps getting the previous value, so
/// an expiry under load costs one read, not one per caller (no thundering herd). Before the
/// first value exists, every caller waits for the same read.
///
/// The read runs in its own task, so a cancelled caller neither cancels the read others wait
/// for nor leaves the cache refreshing forever. A failed read is thrown to the callers waiting
/// for it; the previous value stays and the next call reads again.
final class SnapshotCache<Value: Sendable>: Sendable {
    private struct Kept {
        let value: Value
        /// When the read that produced it started: the value is at least as new as that.
        let readAt: ContinuousClock.Instant
    }

    private struct State {
        var kept: Kept?
        /// The read in progress, if any.
        var refresh: Task<Value, any Error>?
        /// Reads started so far; for tests.
        var reads = 0
    }

    private enum Next {
        case value(Value)
        case wait(Task<Value, any Error>)
    }

    private let state = Mutex(State())

    init() {}

    /// The kept value if it was read less than `maxAge` ago, or else the result of a new read
    /// (or, while another caller's read runs, the kept value).
    /// - Parameter read: Produces a fresh value; run by one caller at a time.
    func value(maxAge: Duration, read: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let next: Next = state.withLock { state in
            if let kept = state.kept, now - kept.readAt < maxAge { return .value(kept.value) }
            if let refresh = state.refresh {
                return state.kept.map { Next.value($0.value) } ?? Next.wait(refresh)
            }
            let refresh = Task { try await self.refreshed(by: read, startedAt: now) }
            state.refresh = refresh
            state.reads += 1
            return .wait(refresh)
        }
        switch next {
        case .value(let value): return value
        case .wait(let refresh): return try await refresh.value
        }
    }

    /// Runs the read and keeps its value; either way, ends the refresh so the next stale call
    /// starts another.
    private func refreshed(
        by read: @Sendable () async throws -> Value, startedAt: ContinuousClock.Instant
    ) async throws -> Value {
        do {
            let value = try await read()
            state.withLock { state in
                state.kept = Kept(value: value, readAt: startedAt)
                state.refresh = nil
            }
            return value
        } catch {
            state.withLock { $0.refresh = nil }
            throw error
        }
    }

    /// How many reads have been started; for tests.
    var reads: Int { state.withLock { $0.reads } }
}
