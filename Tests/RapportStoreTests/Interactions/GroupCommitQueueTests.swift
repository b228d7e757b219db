import Foundation
import Testing
@testable import RapportStore

@Suite struct GroupCommitQueueTests {
    /// Doubles even numbers and refuses odd ones, after a pause that lets the next group gather.
    static let commit: GroupCommitQueue<Int, Int>.Commit = { entries in
        try await Task.sleep(for: .milliseconds(20))
        return entries.map { $0 % 2 == 0 ? .success($0 * 2) : .failure(StoreError(.preconditionFailed, "odd \($0)")) }
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
            _ = try await queue.submit(2) { _ in throw StoreError(.diskFull, "full") }
        }
        #expect(error?.kind == .diskFull)
        // The queue goes on after a failed group.
        #expect(try await queue.submit(4, commit: Self.commit) == 8)
    }

    /// Cancelling the leader's call does not interrupt the commit the group depends on.
    @Test func theLeadersCancellationDoesNotReachTheCommit() async throws {
        let queue = GroupCommitQueue<Int, Int>(maximumGroupSize: 8)
        let call = Task { try await queue.submit(6, commit: Self.commit) }
        call.cancel()
        #expect(try await call.value == 12)
    }
}
