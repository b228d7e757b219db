import Foundation
import RapportWire
import Synchronization

/// A unary call's id once registered, shared with its cancellation handler.
final class RegisteredCallID: Sendable {
    let id = Atomic<UInt64>(0)
}

/// A started call: its id (to cancel it) and the stream its messages and status arrive on.
struct OpenedCall: Sendable {
    let id: UInt64
    let responses: AsyncThrowingStream<[UInt8], any Error>
}

extension ClientConnection {
    /// The deadline of a call with `options`, and the `timeout_ms` to send; throws when it already passed.
    private func deadline(for options: CallOptions) throws(RPCError) -> (CallDeadline?, UInt32) {
        guard let timeout = options.timeout else { return (nil, 0) }
        let deadline = CallDeadline(timeout: timeout)
        // Already over: failing now beats a round trip the server would refuse anyway.
        guard let remaining = deadline.wireTimeout() else { throw deadline.exceededError }
        return (deadline, remaining)
    }

    /// Sends a Request for a server-streaming call and wires up the three ways the client itself
    /// ends it: the consumer going away, the deadline, and (through the returned id) a bad response.
    func open(path: String, payload: some Collection<UInt8>, options: CallOptions) throws(RPCError) -> OpenedCall {
        if Task.isCancelled { throw ClientErrors.cancelled }
        let (deadline, timeoutMilliseconds) = try deadline(for: options)
        // Unbounded: the protocol has no flow control, so the only alternative is dropping messages.
        let (responses, sink) = AsyncThrowingStream.makeStream(of: [UInt8].self, throwing: (any Error).self)
        let id = try calls.start(
            path: path, payload: payload, metadata: metadata(options.metadata), timeoutMilliseconds: timeoutMilliseconds,
            deadline: deadline, sink: .stream(sink))
        let calls = calls
        // Runs on cancellation of the awaiting task and when the stream is dropped unfinished;
        // a call that already ended is no longer registered, so this is then a no-op.
        sink.onTermination = { termination in
            if case .cancelled = termination {
                calls.cancel(id, because: ClientErrors.cancelled)
            }
        }
        return OpenedCall(id: id, responses: responses)
    }

    /// Sends the Request of a unary call and waits for its one message; cancelling the waiting
    /// task cancels the call, and the deadline is enforced by the connection's timer.
    func unary(path: String, payload: some Collection<UInt8>, options: CallOptions) async throws(RPCError) -> Data {
        if Task.isCancelled { throw ClientErrors.cancelled }
        let (deadline, timeoutMilliseconds) = try deadline(for: options)
        let calls = calls
        // The call id, for the cancellation handler once the call is registered (0 before).
        let registered = RegisteredCallID()
        do {
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { continuation in
                    do {
                        let id = try calls.start(
                            path: path, payload: payload, metadata: metadata(options.metadata),
                            timeoutMilliseconds: timeoutMilliseconds, deadline: deadline, sink: .unary(continuation))
                        registered.id.store(id, ordering: .releasing)
                        // Cancelled while registering: the handler may have run before the id was known.
                        if Task.isCancelled {
                            calls.cancel(id, because: ClientErrors.cancelled)
                        }
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            } onCancel: {
                let id = registered.id.load(ordering: .acquiring)
                if id != 0 {
                    calls.cancel(id, because: ClientErrors.cancelled)
                }
            }
        } catch {
            throw ClientErrors.wrap(error)
        }
    }

    func ping() async throws(RPCError) -> Duration {
        if Task.isCancelled { throw ClientErrors.cancelled }
        let (pongs, sink) = AsyncThrowingStream.makeStream(of: Void.self, throwing: (any Error).self)
        let start = ContinuousClock.now
        let nonce = try calls.startPing(sink)
        let calls = calls
        sink.onTermination = { termination in
            if case .cancelled = termination { calls.dropPing(nonce: nonce) }
        }
        do {
            for try await _ in pongs {
                return start.duration(to: .now)
            }
        } catch {
            throw ClientErrors.wrap(error)
        }
        throw ClientErrors.endedEarly()
    }
}
