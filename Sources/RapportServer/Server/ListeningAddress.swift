import NIOCore
import Synchronization

/// The listener's address, published once it is bound; callers may wait for it.
final class ListeningAddress: Sendable {
    private enum State {
        case waiting([CheckedContinuation<SocketAddress, any Error>])
        case bound(SocketAddress)
        case failed(any Error)
    }

    private let state = Mutex(State.waiting([]))

    func wait() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<SocketAddress, any Error>? = state.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .bound(let address):
                    return .success(address)
                case .failed(let error):
                    return .failure(error)
                }
            }
            if let ready {
                continuation.resume(with: ready)
            }
        }
    }

    func publish(_ address: SocketAddress) {
        resolve(.bound(address), with: .success(address))
    }

    func fail(_ error: any Error) {
        resolve(.failed(error), with: .failure(error))
    }

    private func resolve(_ final: State, with result: Result<SocketAddress, any Error>) {
        let waiters: [CheckedContinuation<SocketAddress, any Error>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = final
            return waiters
        }
        for waiter in waiters {
            waiter.resume(with: result)
        }
    }
}
