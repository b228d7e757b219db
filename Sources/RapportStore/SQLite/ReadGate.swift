import Foundation
import Synchronization

/// Bounds how many asynchronous reads hold a reader connection at once, so that the threads
/// doing synchronous point reads always find a free one.
///
/// Why: a point read (`pointRead`) waits for a reader on the thread it runs on, a cooperative
/// or event-loop thread. An asynchronous GRDB read holds its reader until its task runs again on
/// a cooperative thread. With every reader held by suspended asynchronous reads and every
/// cooperative thread waiting in a point read, nothing can run again: a deadlock (seen with 16
/// GetRecommendations in flight on 2 cores: 5 readers, 2 threads). The pool therefore gets one
/// reader per thread that can point-read plus `asyncReaders`, and asynchronous reads queue here,
/// without holding a thread, for one of those `asyncReaders`.
final class ReadGate: Sendable {
    private struct State {
        var available: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// - Parameter permits: asynchronous reads that may hold a reader at once.
    init(permits: Int) {
        state = Mutex(State(available: permits))
    }

    /// Runs `body` once a permit is free, and gives the permit back after it, thrown or not.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        let acquired = state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                // A permit may have come back between the check above and here.
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiting.removeFirst()  // the permit passes straight to the next waiter
        }
        next?.resume()
    }

    /// Threads that may run a point read at once: the cooperative pool's and the event loops'
    /// (handlers of small requests start on the event loop), one per core each.
    static var pointReadingThreads: Int { 2 * ProcessInfo.processInfo.activeProcessorCount }

    /// Asynchronous reads that may hold a reader at once.
    static let asyncReaders = 4
}
