import RapportWire
import Synchronization

/// Unary or server-streaming, as the caller chose it (the server cannot be trusted to agree).
enum CallKind: Sendable {
    case unary
    case serverStreaming
}

/// Where a call's messages and final status go: unary calls use a stream too, so a result
/// that arrives before the caller starts waiting is buffered instead of raced.
typealias CallSink = AsyncThrowingStream<[UInt8], any Error>.Continuation

/// An in-flight call. Whoever removes it from the registry owns finishing it, exactly once.
struct CallEntry: Sendable {
    let kind: CallKind
    let sink: CallSink
    var timer: Task<Void, Never>?

    /// Must run outside the lock: finishing a stream runs its termination handler.
    func succeed(lastMessage: [UInt8]?) {
        timer?.cancel()
        if let lastMessage { sink.yield(lastMessage) }
        sink.finish()
    }

    func fail(_ error: RPCError) {
        timer?.cancel()
        sink.finish(throwing: error)
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
    func start(_ request: OutgoingRequest, kind: CallKind, sink: CallSink) throws(RPCError) -> UInt64 {
        try state.withLock { state throws(RPCError) -> UInt64 in
            if let refusal = state.closedError ?? state.goAwayMessage.map(ClientErrors.goingAway) {
                throw refusal
            }
            let id = state.nextCallID
            let size = request.frameSize(callID: id)
            guard size <= maxFrameSize else {
                throw RPCError(
                    code: .resourceExhausted,
                    message: "request frame of \(size) bytes exceeds the limit of \(maxFrameSize) bytes"
                )
            }
            state.nextCallID += 1
            state.calls[id] = CallEntry(kind: kind, sink: sink)
            outbound.write(request.frame(callID: id))
            return id
        }
    }

    func attachTimer(_ timer: Task<Void, Never>, to id: UInt64) {
        let attached = state.withLock { state in
            guard state.calls[id] != nil else { return false }
            state.calls[id]?.timer = timer
            return true
        }
        if !attached { timer.cancel() }
    }

    /// Ends a call on the client's side (cancellation, deadline, bad response) and tells the
    /// server, unless the call already ended.
    func cancel(_ id: UInt64, because error: RPCError) {
        guard let call = state.withLock({ $0.calls.removeValue(forKey: id) }) else { return }
        var frame = Rapport_Wire_V1_Frame()
        frame.cancel = .with { $0.callID = id }
        outbound.write(frame)
        call.fail(error)
    }

    func receive(_ response: Rapport_Wire_V1_Response) {
        let id = response.callID
        guard response.endOfStream else {
            guard let call = state.withLock({ $0.calls[id] }) else { return }
            switch call.kind {
            case .serverStreaming:
                // Only the reader yields, in order; a yield after a local cancel is dropped.
                call.sink.yield([UInt8](response.payload))
            case .unary:
                let error = RPCError(code: .internal, message: "server sent a stream of messages to a unary call")
                cancel(id, because: error)
            }
            return
        }
        guard let call = state.withLock({ $0.calls.removeValue(forKey: id) }) else { return }
        if let error = RPCError(status: response.status, trailers: response.trailers) {
            call.fail(error)
        } else {
            call.succeed(lastMessage: call.kind == .unary ? [UInt8](response.payload) : nil)
        }
    }
}
