import Foundation
import Synchronization
import Testing
@testable import RapportStore

@Suite struct GroupCommitQueueTests {
    /// Doubles even numbers and refuses odd ones, after a pause that lets the next group gather;
    /// completes on another task, as the writer's queue does.
    static let commit: GroupCommitQueue<Int, Int>.Commit = { entries, completion in
        Task {
            try? await Task.sleep(for: .milliseconds(20))
            completion(.success(entries.map { $0 % 2 == 0 ? .success($0 * 2) : .failure(StoreError(.preconditionFailed, "odd \($0)")) }))
        }
    }

    @Test func everyCallerGetsItsOwnResultFromFewerGroups() async throws {
        let queue = GroupCommitQueue<Int, Int>(maximumGroupSize: 16)
        let results = await withTaskGroup(of: (Int, Int?).self) { group in
            for value in 0..<100 {
                group.addTask { (value, try? await queue.submit(value, commit: Self.commit)) }
            }
            return await group.reduce(into: [Int: Int?]()) { $0[$1.0] = $1.1 }
        }
        for value in 0..<100 {
            #expect(results[value] == (value % 2 == 0 ? value * 2 : nil))
        }
        #expect(queue.groupCount < 100)
        #expect(queue.groupCount >= 100 / 16)
    }

    @Test func aFailedCommitFailsTheWholeGroup() async throws {
        let queue = GroupCommitQueue<Int, Int>(maximumGroupSize: 8)
        let error = await storeError {
            _ = try await queue.submit(2) { _, completion in completion(.failure(StoreError(.diskFull, "full"))) }
        }
        #expect(error?.kind == .diskFull)
        // The queue goes on after a failed group.
        #expect(try await queue.submit(4, commit: Self.commit) == 8)
    }

    /// A commit that answers for the wrong number of entries fails each of them rather than
    /// handing one caller another's result.
    @Test func aMiscountedGroupFailsEveryEntry() async throws {
        let queue = GroupCommitQueue<Int, Int>(maximumGroupSize: 8)
        let error = await storeError {
            _ = try await queue.submit(2) { _, completion in completion(.success([])) }
        }
        #expect(error?.kind == .other)
        #expect(error?.message.contains("0 results for 1 entries") == true)
    }

    /// Callers that queue while a group commits are taken by the next group, started from the
    /// first group's completion: nobody is left waiting once the queue goes idle.
    @Test func callersQueuedDuringACommitAreCommittedNext() async throws {
        let queue = GroupCommitQueue<Int, Int>(maximumGroupSize: 4)
        let gate = AsyncStream<Void>.makeStream()
        let opened = Mutex(false)
        // The first group waits on the gate, so the other nine callers queue behind it.
        let slowFirst: GroupCommitQueue<Int, Int>.Commit = { entries, completion in
            let first = opened.withLock { wasOpen in
                defer { wasOpen = true }
                return !wasOpen
            }
            Task {
                if first { for await _ in gate.stream { break } }
                completion(.success(entries.map { .success($0 * 2) }))
            }
        }
        let first = Task { try await queue.submit(0, commit: slowFirst) }
        while queue.groupCount == 0 { await Task.yield() }
        let others = (1..<10).map { value in Task { try await queue.submit(value * 2, commit: slowFirst) } }
        while queue.waitingCount < 9 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(queue.groupCount == 1)
        gate.continuation.yield()
        #expect(try await first.value == 0)
        for (offset, call) in others.enumerated() {
            #expect(try await call.value == (offset + 1) * 4)
        }
        // Nine waiting callers in groups of at most four: three more groups.
        #expect(queue.groupCount == 4)
    }

    /// Cancelling the leader's call does not interrupt the commit the group depends on.
    @Test func theLeadersCancellationDoesNotReachTheCommit() async throws {
        let queue = GroupCommitQueue<Int, Int>(maximumGroupSize: 8)
        let call = Task { try await queue.submit(6, commit: Self.commit) }
        call.cancel()
        #expect(try await call.value == 12)
    }
}
