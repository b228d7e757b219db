import Synchronization

/// Tasks waiting for a connection to take more frames: woken one at a time, the longest waiting
/// first, whenever room may have appeared (the channel became writable again, the writer's queue
/// drained), so that a woken producer's frame is queued before the next one looks for room; and
/// all at once, for good, when the channel is gone. A woken task checks for itself whether there
/// is room, and waits again if not.
final class WriteRoom: Sendable {
    private struct State {
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var lastID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Returns once `hasRoom()` holds, the channel closed, or the task is cancelled.
    func wait(until hasRoom: @escaping @Sendable () -> Bool) async {
        while !hasRoom(), !Task.isCancelled, !state.withLock({ $0.closed }) {
            let id = state.withLock { state in
                state.lastID += 1
                return state.lastID
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let registered = state.withLock { state -> Bool in
                        guard !state.closed, !Task.isCancelled else { return false }
                        state.waiters[id] = continuation
                        return true
                    }
                    guard registered else { return continuation.resume() }
                    // Room that appeared before the registration woke nobody: look once more.
                    if hasRoom() { resume(id) }
                }
            } onCancel: {
                resume(id)
            }
        }
    }

    /// Wakes the longest waiting task to check for room.
    func wakeOne() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let id = state.waiters.keys.min() else { return nil }
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.resume()
    }

    /// Whether anyone waits (so a drain wakes nobody for nothing).
    var isAwaited: Bool { state.withLock { !$0.waiters.isEmpty } }

    /// The channel is gone: wakes every waiter, and later ones do not wait.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values {
            waiter.resume()
        }
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
}
