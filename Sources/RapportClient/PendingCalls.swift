import Foundation
import NIOCore
import RapportWire
import Synchronization

/// Unary or server-streaming, as the caller chose it (the server cannot be trusted to agree).
enum CallKind: Sendable {
    case unary
    case serverStreaming
}

/// Where a call's messages and final status go.
enum CallSink: Sendable {
    /// A unary caller's continuation.
    case unary(UnsafeContinuation<Data, any Error>)
    /// A server-streaming call's messages.
    case stream(AsyncThrowingStream<[UInt8], any Error>.Continuation)

    var kind: CallKind {
        switch self {
        case .unary: .unary
        case .stream: .serverStreaming
        }
    }
}

/// How a call ended: its one message (unary) or OK (streams; the data is then empty), or the failure.
typealias CallResult = Result<Data, RPCError>

/// An in-flight call. Whoever removes it from the registry owns finishing it, exactly once.
struct CallEntry: Sendable {
    var sink: CallSink
    /// When the client stops waiting (on the event loop's clock); nil without a timeout.
    let deadline: NIODeadline?
    /// The caller's deadline, for the error when it passes.
    let callDeadline: CallDeadline?

    /// Must run outside the lock: finishing a stream runs its termination handler, and resuming
    /// a continuation schedules its task.
    func finish(_ result: CallResult) {
        switch sink {
        case .unary(let continuation):
            continuation.resume(with: result.mapError { $0 as any Error })
        case .stream(let stream):
            switch result {
            case .success: stream.finish()
            case .failure(let error): stream.finish(throwing: error)
            }
        }
    }
}

/// The calls and pings in flight on one connection, and whether new ones may start.
///
/// Frames are written under the same lock that picks call ids, so requests reach the wire
/// in call-id order and a Cancel always follows its Request.
final class PendingCalls: Sendable {
    struct State {
        var nextCallID: UInt64 = 1
        var nextNonce: UInt64 = 1
        var calls: [UInt64: CallEntry] = [:]
        var pings: [UInt64: PingSink] = [:]
        /// The server's GoAway message, once one came.
        var goAwayMessage: String?
        /// Why new calls and pings fail, once the connection is gone.
        var closedError: RPCError?
        /// One event-loop timer serves every call's deadline, armed for the earliest one.
        var armedDeadline: NIODeadline?

        /// Takes the call out of the registry, to be finished outside the lock.
        mutating func take(_ id: UInt64, result: CallResult) -> CallEntry? {
            calls.removeValue(forKey: id)
        }
    }

    let state = Mutex(State())
    let outbound: CoalescingFrameWriter
    let endpoint: String
    private let maxFrameSize: Int

    init(outbound: CoalescingFrameWriter, endpoint: String, maxFrameSize: Int) {
        self.outbound = outbound
        self.endpoint = endpoint
        self.maxFrameSize = maxFrameSize
    }

    var isClosed: Bool { state.withLock { $0.closedError != nil } }

    /// Picks the call id, registers the call and queues its Request; throws when the request
    /// is too large (never sent: the server would close the whole connection) or calls are refused.
    func start(
        path: String,
        payload: some Collection<UInt8>,
        metadata: [String: String],
        timeoutMilliseconds: UInt32,
        deadline: CallDeadline?,
        sink: CallSink
    ) throws(RPCError) -> UInt64 {
        let localDeadline = deadline.map { NIODeadline.now() + TimeAmount(ContinuousClock.now.duration(to: $0.instant)) }
        let (id, armTimer) = try state.withLock { state throws(RPCError) -> (UInt64, Bool) in
            if let refusal = state.closedError ?? state.goAwayMessage.map(ClientErrors.goingAway) {
                throw refusal
            }
            let id = state.nextCallID
            let size = FrameEncoding.requestFrameSize(
                callID: id, method: path, timeoutMilliseconds: timeoutMilliseconds, metadata: metadata,
                payloadCount: payload.count)
            guard size <= maxFrameSize else {
                throw RPCError(
                    code: .resourceExhausted,
                    message: "request frame of \(size) bytes exceeds the limit of \(maxFrameSize) bytes"
                )
            }
            state.nextCallID += 1
            state.calls[id] = CallEntry(sink: sink, deadline: localDeadline, callDeadline: deadline)
            outbound.write(
                encoded: FrameEncoding.request(
                    callID: id, method: path, timeoutMilliseconds: timeoutMilliseconds, metadata: metadata,
                    payload: payload))
            var armTimer = false
            if let localDeadline, state.armedDeadline.map({ localDeadline < $0 }) ?? true {
                state.armedDeadline = localDeadline
                armTimer = true
            }
            return (id, armTimer)
        }
        if armTimer, let localDeadline {
            scheduleDeadlineTimer(at: localDeadline)
        }
        return id
    }

    /// Ends a call on the client's side (cancellation, deadline, bad response) and tells the
    /// server, unless the call already ended.
    func cancel(_ id: UInt64, because error: RPCError) {
        guard let call = state.withLock({ $0.take(id, result: .failure(error)) }) else { return }
        sendCancel(id)
        call.finish(.failure(error))
    }

    private func sendCancel(_ id: UInt64) {
        var frame = Rapport_Wire_V1_Frame()
        frame.cancel = .with { $0.callID = id }
        outbound.write(frame)
    }

    /// Finishes the calls of a batch of final Responses (one read's worth) under one lock.
    func receiveFinal(_ responses: [Rapport_Wire_V1_Response]) {
        let results = responses.map { response -> CallResult in
            if let error = RPCError(status: response.status, trailers: response.trailers) {
                return .failure(error)
            }
            return .success(response.payload)
        }
        let calls = state.withLock { state in
            zip(responses, results).map { state.take($0.callID, result: $1) }
        }
        for (call, result) in zip(calls, results) {
            call?.finish(result)
        }
    }

    func receive(_ response: Rapport_Wire_V1_Response) {
        let id = response.callID
        guard response.endOfStream else {
            let sink = state.withLock { state -> CallSink? in state.calls[id]?.sink }
            switch sink {
            case nil:
                return
            case .stream(let stream):
                // Only the reader yields, in order; a yield after a local cancel is dropped.
                stream.yield([UInt8](response.payload))
            case .unary:
                let error = RPCError(code: .internal, message: "server sent a stream of messages to a unary call")
                cancel(id, because: error)
            }
            return
        }
        let result: CallResult
        if let error = RPCError(status: response.status, trailers: response.trailers) {
            result = .failure(error)
        } else {
            result = .success(response.payload)
        }
        guard let call = state.withLock({ $0.take(id, result: result) }) else { return }
        call.finish(result)
    }

    /// Arms the connection's deadline timer; see `State.armedDeadline`.
    private func scheduleDeadlineTimer(at deadline: NIODeadline) {
        outbound.eventLoop.scheduleTask(deadline: deadline) { [weak self] in
            self?.expireCalls(armedFor: deadline)
        }
    }

    /// Fails the calls whose deadline passed (telling the server) and re-arms for the earliest left.
    private func expireCalls(armedFor deadline: NIODeadline) {
        let now = NIODeadline.now()
        let (expired, next) = state.withLock { state -> ([(UInt64, CallEntry?, RPCError)], NIODeadline?) in
            // A timer superseded by an earlier one finds another deadline armed and does nothing.
            guard state.armedDeadline == deadline else { return ([], nil) }
            var next: NIODeadline?
            var expiredIDs: [(UInt64, RPCError)] = []
            for (id, call) in state.calls {
                guard let callDeadline = call.deadline else { continue }
                if callDeadline <= now {
                    expiredIDs.append((id, call.callDeadline?.exceededError ?? ClientErrors.cancelled))
                } else if next.map({ callDeadline < $0 }) ?? true {
                    next = callDeadline
                }
            }
            state.armedDeadline = next
            return (expiredIDs.map { ($0.0, state.take($0.0, result: .failure($0.1)), $0.1) }, next)
        }
        for (id, call, error) in expired {
            sendCancel(id)
            call?.finish(.failure(error))
        }
        if let next {
            scheduleDeadlineTimer(at: next)
        }
    }
}
