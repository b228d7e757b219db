import Synchronization
import Testing
@testable import RapportStore

@Suite struct SnapshotCacheTests {
    /// A read that waits until the test opens it, then returns its number (1 for the first).
    private final class GatedRead: Sendable {
        private struct State {
            var started = 0
            var open = false
            var waiting: [CheckedContinuation<Void, Never>] = []
        }

        private let state = Mutex(State())

        func read() async -> Int {
            let number = state.withLock { state in
                state.started += 1
                return state.started
            }
            await withCheckedContinuation { continuation in
                let wait = state.withLock { state in
                    if !state.open { state.waiting.append(continuation) }
                    return !state.open
                }
                if !wait { continuation.resume() }
            }
            return number
        }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    /// A stale value is refreshed by one caller while the others get the previous value at once.
    @Test func oneCallerRefreshesWhileTheOthersGetThePreviousValue() async throws {
        let cache = SnapshotCache<Int>()
        #expect(try await cache.value(maxAge: .seconds(3600)) { 1 } == 1)
        let gated = GatedRead()
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask { try await cache.value(maxAge: .zero) { await gated.read() + 1 } }
            }
            var answers: [Int] = []
            for try await answer in group {
                answers.append(answer)
                // Every caller but the reader has its answer while the read is held.
                if answers.count == 31 { gated.open() }
            }
            return answers
        }
        #expect(answers.filter { $0 == 1 }.count == 31)
        #expect(answers.filter { $0 == 2 }.count == 1)
        #expect(cache.reads == 2)
    }

    /// Before any value, every caller waits for the one read.
    @Test func theFirstCallersWaitForOneRead() async throws {
        let cache = SnapshotCache<Int>()
        let gated = GatedRead()
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { try await cache.value(maxAge: .seconds(3600)) { await gated.read() } }
            }
            try await Task.sleep(for: .milliseconds(50))
            gated.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers == Array(repeating: 1, count: 16))
        #expect(cache.reads == 1)
    }

    /// A failed read reaches its caller, keeps nothing, and the next call reads again.
    @Test func aFailedReadIsThrownAndRetried() async throws {
        struct Failed: Error {}
        let cache = SnapshotCache<Int>()
        await #expect(throws: Failed.self) { try await cache.value(maxAge: .seconds(3600)) { throw Failed() } }
        #expect(try await cache.value(maxAge: .seconds(3600)) { 7 } == 7)
        await #expect(throws: Never.self) { try await cache.value(maxAge: .seconds(3600)) { throw Failed() } }
        #expect(cache.reads == 2)
    }
}
