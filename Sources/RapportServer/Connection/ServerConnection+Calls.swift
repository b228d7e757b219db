import Logging
import NIOCore
import RapportAccess
import RapportWire

extension ServerConnection {
    /// Largest payload that still fits a frame once the Response envelope is added.
    private var maxPayloadSize: Int { limits.maxFrameSize - 64 }

    /// Starts a call, or returns why it is refused; throws for requests that break the protocol.
    /// Runs on the event loop, as the Request is decoded.
    func admit(_ request: Rapport_Wire_V1_Request) throws -> CallRejection? {
        let method = registry.method(at: request.method)
        let authorization = security?.authorize(path: request.method, metadata: request.metadata, known: method != nil)
        let timeout = request.timeoutMs
        let deadline: NIODeadline? = timeout == 0 ? nil : .now() + .milliseconds(Int64(timeout))
        let (refusal, armTimer) = try state.withLock { state -> (CallRejection?, Bool) in
            state.lastActivity = .now
            guard request.callID != 0 else {
                throw WireProtocolError(.protocolViolation, "call_id 0 is reserved; use a non-zero call_id")
            }
            guard state.calls[request.callID] == nil else {
                throw WireProtocolError(.protocolViolation, "call_id \(request.callID) is already in flight")
            }
            if state.draining {
                return (CallRejection(RPCError(code: .unavailable, message: "server is shutting down; retry on a new connection")), false)
            }
            guard state.calls.count < limits.maxConcurrentCallsPerConnection else {
                let refusal = RPCError(
                    code: .resourceExhausted,
                    message: "\(state.calls.count) calls already in flight on this connection "
                        + "(limit \(limits.maxConcurrentCallsPerConnection)); wait for one to finish"
                )
                return (CallRejection(refusal), false)
            }
            if case .refused(let error, let principal) = authorization {
                return (CallRejection(error, principal: principal, reported: true), false)
            }
            guard method != nil else {
                return (CallRejection(RPCError(code: .unimplemented, message: "unknown method '\(request.method)'")), false)
            }
            if case .granted(let entry?) = authorization, let security,
                !security.counter.acquire(entry.principal.name, limit: entry.maxConcurrentCalls)
            {
                let refusal = RPCError(
                    code: .resourceExhausted,
                    message: "principal '\(entry.principal.name)' already has \(entry.maxConcurrentCalls) calls in flight "
                        + "(its limit); wait for one to finish")
                return (CallRejection(refusal, principal: entry.principal.name, reported: true), false)
            }
            state.highestCallID = max(state.highestCallID, request.callID)
            // Registered before its handler starts: the handler may run (even to its end) right here.
            state.calls[request.callID] = InFlightCall(task: nil, deadline: deadline, timeoutMilliseconds: timeout)
            return (nil, deadline.map { state.arm(for: $0) } ?? false)
        }
        if armTimer, let deadline {
            scheduleDeadlineTimer(at: deadline)
        }
        if let refusal { return refusal }
        guard let method else { return nil }
        let principal: Principal? = if case .granted(let entry) = authorization { entry?.principal } else { nil }
        start(request, with: method, context: makeContext(for: request, method: method.descriptor, principal: principal))
        return nil
    }

    /// Requests up to this size start their handler on the event loop, running it until its first
    /// suspension: a short call (a cached read) then answers without waking another thread twice.
    /// Larger ones (a batch to decode and validate) start in a task, so the event loop is never
    /// held for long.
    static let inlineStartLimit = 4 * 1024

    /// Starts an admitted call's handler and records its task.
    private func start(_ request: Rapport_Wire_V1_Request, with method: RegisteredMethod, context: CallContext) {
        let task: Task<Void, Never> =
            request.payload.count <= Self.inlineStartLimit
            ? Task.immediate { await self.serve(request, with: method, context: context) }
            : Task { await self.serve(request, with: method, context: context) }
        let callID = request.callID
        let ended = state.withLock { state -> Bool in
            // Gone: the handler already finished and answered.
            guard state.calls[callID] != nil else { return false }
            state.calls[callID]?.task = task
            return state.calls[callID]?.endReason != nil
        }
        // Cancelled, expired or shut down while it was starting.
        if ended { task.cancel() }
    }

    /// Runs the handler and answers the call, in one task.
    private func serve(_ request: Rapport_Wire_V1_Request, with method: RegisteredMethod, context: CallContext) async {
        let outcome: Result<MessageBuffer?, RPCError>
        do {
            outcome = .success(try await runHandler(of: method, for: request, context: context))
        } catch {
            outcome = .failure(status(for: error, context: context))
        }
        let callID = request.callID
        // Backpressure: while the client leaves earlier answers unread, this one waits here, its
        // call still in flight (and counted against the concurrency limit), not in the write queue.
        await outbound.waitForRoom()
        // Forget the call before answering, so the client may reuse its id as soon as it reads the answer.
        let (ended, drained) = state.withLock { state in
            state.lastActivity = .now
            let ended = state.calls.removeValue(forKey: callID)
            return (ended, state.draining && state.isQuiet)
        }
        if let security, let principal = context.principal {
            security.counter.release(principal.name)
        }
        if let final = finalFrame(callID: callID, outcome: consume outcome, endReason: ended?.endReason, context: context) {
            outbound.write(encoded: final)
        }
        if drained {
            closeRequests.finish()
        }
    }

    private func runHandler(
        of method: RegisteredMethod, for request: Rapport_Wire_V1_Request, context: CallContext
    ) async throws -> MessageBuffer? {
        let callID = request.callID
        let response = try await method.invoke(request.payload, context) { message in
            // A cancelled call stops streaming at its next message.
            try Task.checkCancellation()
            try self.checkSize(of: message.count)
            let frame = FrameEncoding.response(callID: callID, payload: message, withOKStatus: false, endOfStream: false)
            // Backpressure: a stream waits for the socket rather than buffering without bound.
            if self.outbound.isWritable {
                self.outbound.write(encoded: frame)
            } else {
                try await self.outbound.writeAndWait(encoded: frame)
            }
        }
        if let response {
            try checkSize(of: response.count)
        }
        return response
    }

    private func finalFrame(
        callID: UInt64,
        outcome: consuming Result<MessageBuffer?, RPCError>,
        endReason: CallEndReason?,
        context: CallContext
    ) -> ByteBuffer? {
        let failure: RPCError
        switch (endReason, consume outcome) {
        case (.connectionClosed, _):
            return nil
        case (.cancelledByClient, _):
            failure = RPCError(code: .cancelled, message: "call cancelled by the client")
        case (.shutdown, _):
            failure = RPCError(code: .unavailable, message: "server shut down before the call finished")
        case (.deadlineExceeded(let timeout), _):
            failure = RPCError(code: .deadlineExceeded, message: "deadline of \(timeout) ms exceeded")
        case (nil, .success(let payload)):
            return FrameEncoding.response(
                callID: callID, payload: payload ?? MessageBuffer(repeating: 0, count: 0), withOKStatus: true,
                endOfStream: true)
        case (nil, .failure(let error)):
            failure = error
        }
        // The summary, never the message: a message may quote what the caller sent.
        context.logger.warning(
            "call failed", metadata: ["status": "\(failure.code)", "reason": "\(failure.logSummary?.description ?? "-")"])
        return try? FrameEncoding.encode(boundedFailure(callID: callID, failure))
    }

    /// Arms the connection's deadline timer; see `ConnectionState.armedDeadline`.
    private func scheduleDeadlineTimer(at deadline: NIODeadline) {
        let timer = outbound.eventLoop.scheduleTask(deadline: deadline) { [weak self] () -> Void in
            self?.expireCalls(armedFor: deadline)
        }
        let replaced = state.withLock { state -> Scheduled<Void>? in
            // A timer for an earlier deadline replaces a later one; a stale one is left to find nothing.
            guard state.armedDeadline == deadline else { return nil }
            defer { state.deadlineTimer = timer }
            return state.deadlineTimer
        }
        replaced?.cancel()
    }

    private func expireCalls(armedFor deadline: NIODeadline) {
        let (expired, next) = state.withLock { state -> ([Task<Void, Never>], NIODeadline?) in
            // A timer that was replaced by an earlier one finds another deadline armed.
            guard state.armedDeadline == deadline else { return ([], nil) }
            state.deadlineTimer = nil
            return state.expireCalls(now: .now())
        }
        for task in expired {
            task.cancel()
        }
        if let next {
            scheduleDeadlineTimer(at: next)
        }
    }

    /// The failure frame, without its trailers when they would make it exceed the frame limit
    /// (which the client would treat as a protocol violation); the status itself always fits.
    private func boundedFailure(callID: UInt64, _ failure: RPCError) -> Frame {
        let frame = Frame.failure(callID: callID, failure)
        guard !failure.trailers.isEmpty, ((try? frame.serializedBytes() as [UInt8])?.count ?? 0) > limits.maxFrameSize else {
            return frame
        }
        let message = String(failure.message.prefix(4096))
            + " (trailers dropped: they exceed the frame limit of \(limits.maxFrameSize) bytes)"
        return .failure(callID: callID, RPCError(code: failure.code, message: message))
    }

    private func checkSize(of payloadCount: Int) throws {
        guard payloadCount <= maxPayloadSize else {
            throw RPCError(
                code: .resourceExhausted,
                message: "response of \(payloadCount) bytes exceeds the frame limit of \(limits.maxFrameSize) bytes"
            )
        }
    }

    /// The status a caller sees for a handler's error; unexpected errors never leak their details.
    private func status(for error: any Error, context: CallContext) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case is CancellationError:
            return RPCError(code: .cancelled, message: "call was cancelled")
        default:
            context.logger.error("handler failed unexpectedly", metadata: ["error_type": "\(type(of: error))"])
            return RPCError(
                code: .internal,
                message: "internal error; quote request id \(context.requestID) when reporting it",
                cause: error
            )
        }
    }

    private func makeContext(
        for request: Rapport_Wire_V1_Request, method: AnyMethodDescriptor, principal: Principal?
    ) -> CallContext {
        let requestID = RequestID.from(metadata: request.metadata)
        let deadline: ContinuousClock.Instant? =
            request.timeoutMs == 0 ? nil : .now + .milliseconds(Int64(request.timeoutMs))
        return CallContext(
            callID: request.callID,
            method: method,
            metadata: request.metadata,
            deadline: deadline,
            requestID: requestID,
            logger: logger,
            services: services,
            principal: principal,
            peer: peer
        )
    }
}
