import Synchronization

/// Group commit: concurrent callers queue their entries and one of them at a time, the leader,
/// commits everything queued (up to `maximumGroupSize`) in one transaction, resumes each caller
/// with its own result, then hands the lead to the first caller still waiting. While one group
/// commits (and fsyncs) the next one gathers, so one fsync serves many calls.
///
/// The queue has no task of its own: the leader is always a caller that waits for its own entry
/// anyway, so nothing outlives the calls, and once the store closes the queued groups fail
/// (their transactions cannot begin) and their callers get that error. A caller is resumed only
/// after the transaction holding its entry committed or failed.
final class GroupCommitQueue<Entry: Sendable, Outcome: Sendable>: Sendable {
    /// Commits a group in one transaction: one result per entry, in order. A thrown error fails
    /// every entry of the group.
    typealias Commit = @Sendable ([Entry]) async throws -> [Result<Outcome, StoreError>]

    private enum Signal: Sendable {
        case finished(Result<Outcome, any Error>)
        /// The caller now leads: it commits the next group, which starts with its own entry.
        case lead
    }

    private struct Waiter: Sendable {
        let entry: Entry
        let continuation: CheckedContinuation<Signal, Never>
    }

    private struct State: Sendable {
        /// Oldest first. While there is a leader, the first waiter is it or the one it handed
        /// the lead to; there is no waiter without a leader.
        var waiting: [Waiter] = []
        var hasLeader = false
        var groups = 0
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

    /// Queues `entry` and returns its result once the transaction holding it has ended.
    ///
    /// Not cancellable: once queued the entry may already be in a transaction, and the caller must
    /// learn whether it committed. `commit` is used if this caller becomes the leader.
    func submit(_ entry: Entry, commit: @escaping Commit) async throws -> Outcome {
        let signal = await withCheckedContinuation { (continuation: CheckedContinuation<Signal, Never>) in
            let leads = state.withLock { state in
                state.waiting.append(Waiter(entry: entry, continuation: continuation))
                guard !state.hasLeader else { return false }
                state.hasLeader = true
                return true
            }
            if leads { continuation.resume(returning: .lead) }
        }
        switch signal {
        case .finished(let result): return try result.get()
        case .lead: return try await lead(commit).get()
        }
    }

    /// Commits one group, resumes its other callers, hands the lead on, and returns the leader's result.
    private func lead(_ commit: @escaping Commit) async -> Result<Outcome, any Error> {
        let group = state.withLock { state in
            let count = min(state.waiting.count, maximumGroupSize)
            let group = Array(state.waiting.prefix(count))
            state.waiting.removeFirst(count)
            state.groups += 1
            return group
        }
        let results = await Self.run(commit, group.map(\.entry))
        let next = state.withLock { state in
            guard let first = state.waiting.first else {
                state.hasLeader = false
                return nil as CheckedContinuation<Signal, Never>?
            }
            return first.continuation
        }
        for (waiter, result) in zip(group, results).dropFirst() {
            waiter.continuation.resume(returning: .finished(result))
        }
        next?.resume(returning: .lead)
        // The leader's own entry was first in line, so it is first in the group.
        return results.first ?? .failure(StoreError(.other, "group commit lost an entry"))
    }

    /// Runs `commit` in a task of its own, so that cancelling the leader's call (a deadline, a
    /// client gone) cannot interrupt the transaction the whole group depends on. The leader
    /// awaits it, so it never outlives the call.
    private static func run(_ commit: @escaping Commit, _ entries: [Entry]) async -> [Result<Outcome, any Error>] {
        let task = Task { try await commit(entries) }
        do {
            let results = try await task.value
            guard results.count == entries.count else {
                return entries.map { _ in .failure(StoreError(.other, "group commit returned \(results.count) results for \(entries.count) entries")) }
            }
            return results.map { $0.mapError { $0 } }
        } catch {
            return entries.map { _ in .failure(error) }
        }
    }
}
