import Foundation
import RapportWire

/// A started call: its id (to cancel it) and the stream its messages and status arrive on.
struct OpenedCall: Sendable {
    let id: UInt64
    let responses: AsyncThrowingStream<[UInt8], any Error>
}

extension ClientConnection {
    /// Sends a Request and wires up the three ways the client itself ends a call: the
    /// consumer going away, the deadline, and (through the returned id) a bad response.
    func open(path: String, payload: Data, kind: CallKind, options: CallOptions) throws(RPCError) -> OpenedCall {
        if Task.isCancelled { throw ClientErrors.cancelled }
        let deadline = options.timeout.map { CallDeadline(timeout: $0) }
        var timeoutMilliseconds: UInt32 = 0
        if let deadline {
            // Already over: failing now beats a round trip the server would refuse anyway.
            guard let remaining = deadline.wireTimeout() else { throw deadline.exceededError }
            timeoutMilliseconds = remaining
        }
        let request = try OutgoingRequest(
            path: path,
            payload: payload,
            metadata: options.metadata,
            timeoutMilliseconds: timeoutMilliseconds
        )
        // Unbounded: the protocol has no flow control, so the only alternative is dropping messages.
        let (responses, sink) = AsyncThrowingStream.makeStream(of: [UInt8].self, throwing: (any Error).self)
        let id = try calls.start(request, kind: kind, sink: sink)

        let calls = calls
        // Runs on cancellation of the awaiting task and when the stream is dropped unfinished;
        // a call that already ended is no longer registered, so this is then a no-op.
        sink.onTermination = { termination in
            if case .cancelled = termination {
                calls.cancel(id, because: ClientErrors.cancelled)
            }
        }
        if let deadline {
            let timer = Task {
                do {
                    try await Task.sleep(until: deadline.instant, clock: .continuous)
                } catch {
                    return
                }
                calls.cancel(id, because: deadline.exceededError)
            }
            calls.attachTimer(timer, to: id)
        }
        return OpenedCall(id: id, responses: responses)
    }

    /// Waits for the one message of a unary call.
    func unary(path: String, payload: Data, options: CallOptions) async throws(RPCError) -> [UInt8] {
        let call = try open(path: path, payload: payload, kind: .unary, options: options)
        do {
            for try await message in call.responses {
                return message
            }
        } catch {
            throw ClientErrors.wrap(error)
        }
        throw ClientErrors.endedEarly()
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
