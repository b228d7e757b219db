import Synchronization

/// Group commit: concurrent callers queue their entries; while one group's transaction runs, the
/// next gathers, and when it ends the next group starts from the writer's own completion, so one
/// fsync serves many calls and the writer never waits for a task to be scheduled between groups.
///
/// The queue has no task or thread of its own: the first caller to find it idle starts a group,
/// and each group's completion starts the next one while callers are waiting. Callers are resumed
/// only after the transaction holding their entry committed or failed; once the store closes, the
/// queued groups fail (their transactions cannot begin) and their callers get that error.
final class GroupCommitQueue<Entry: Sendable, Outcome: Sendable>: Sendable {
    /// The outcome of one group: one result per entry, in order, or an error that fails them all.
    typealias GroupResult = Result<[Result<Outcome, StoreError>], any Error>

    /// Starts committing a group in one transaction and returns at once; calls `completion`
    /// exactly once when the transaction has ended, on whatever thread ran it.
    typealias Commit = @Sendable (_ entries: [Entry], _ completion: @escaping @Sendable (GroupResult) -> Void) -> Void

    private struct Waiter: Sendable {
        let entry: Entry
        let commit: Commit
        let continuation: CheckedContinuation<Result<Outcome, any Error>, Never>
    }

    private struct State: Sendable {
        /// Oldest first; none of these is in a transaction yet.
        var waiting: [Waiter] = []
        /// Whether a group's transaction is running (its completion starts the next group).
        var committing = false
        var groups = 0

        /// Takes the next group off the queue and counts it.
        mutating func takeGroup(maximumSize: Int) -> [Waiter] {
            let count = min(waiting.count, maximumSize)
            let group = Array(waiting.prefix(count))
            waiting.removeFirst(count)
            groups += 1
            return group
        }
    }

    /// The most entries one transaction takes.
    let maximumGroupSize: Int
    private let state = Mutex(State())

    /// - Parameter maximumGroupSize: the most entries one transaction takes (at least 1).
    init(maximumGroupSize: Int) {
        self.maximumGroupSize = max(1, maximumGroupSize)
    }

    /// How many groups have been committed (or tried); for tests and diagnostics.
    var groupCount: Int { state.withLock { $0.groups } }

    /// How many callers wait for a group that has not started; for tests and diagnostics.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Queues `entry` and returns its result once the transaction holding it has ended.
    ///
    /// Not cancellable: once queued the entry may already be in a transaction, and the caller must
    /// learn whether it committed. `commit` runs the group this entry starts, if it starts one.
    func submit(_ entry: Entry, commit: @escaping Commit) async throws -> Outcome {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Outcome, any Error>, Never>) in
            let group = state.withLock { state -> [Waiter]? in
                state.waiting.append(Waiter(entry: entry, commit: commit, continuation: continuation))
                guard !state.committing else { return nil }
                state.committing = true
                return state.takeGroup(maximumSize: maximumGroupSize)
            }
            if let group { start(group) }
        }
        return try result.get()
    }

    private func start(_ group: [Waiter]) {
        // The commit of the group's first caller; every caller of one store passes the same one.
        guard let commit = group.first?.commit else { return }
        commit(group.map(\.entry)) { outcome in
            self.finish(group, outcome)
        }
    }

    /// Resumes the group's callers, then starts the next group if any caller is waiting, or
    /// leaves the queue idle for the next `submit` to start.
    private func finish(_ group: [Waiter], _ outcome: GroupResult) {
        let results: [Result<Outcome, any Error>]
        switch outcome {
        case .success(let perEntry) where perEntry.count == group.count:
            results = perEntry.map { $0.mapError { $0 } }
        case .success(let perEntry):
            let error = StoreError(.other, "group commit returned \(perEntry.count) results for \(group.count) entries")
            results = group.map { _ in .failure(error) }
        case .failure(let error):
            results = group.map { _ in .failure(error) }
        }
        for (waiter, result) in zip(group, results) {
            waiter.continuation.resume(returning: result)
        }
        // Taken after resuming, so callers answered just now can join the next group.
        let next = state.withLock { state -> [Waiter]? in
            guard !state.waiting.isEmpty else {
                state.committing = false
                return nil
            }
            return state.takeGroup(maximumSize: maximumGroupSize)
        }
        if let next { start(next) }
    }
}
