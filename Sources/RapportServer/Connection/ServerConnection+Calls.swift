import Logging
import NIOCore
import RapportWire

extension ServerConnection {
    /// Largest payload that still fits a frame once the Response envelope is added.
    private var maxPayloadSize: Int { limits.maxFrameSize - 64 }

    /// Starts a call, or returns why it is refused; throws for requests that break the protocol.
    func admit(_ request: Rapport_Wire_V1_Request) throws -> RPCError? {
        let method = registry.method(at: request.method)
        let context = method.map { makeContext(for: request, method: $0.descriptor) }
        return try state.withLock { state -> RPCError? in
            guard request.callID != 0 else {
                throw WireProtocolError(.protocolViolation, "call_id 0 is reserved; use a non-zero call_id")
            }
            guard state.calls[request.callID] == nil else {
                throw WireProtocolError(.protocolViolation, "call_id \(request.callID) is already in flight")
            }
            if state.draining {
                return RPCError(code: .unavailable, message: "server is shutting down; retry on a new connection")
            }
            guard state.calls.count < limits.maxConcurrentCallsPerConnection else {
                return RPCError(
                    code: .resourceExhausted,
                    message: "\(state.calls.count) calls already in flight on this connection "
                        + "(limit \(limits.maxConcurrentCallsPerConnection)); wait for one to finish"
                )
            }
            guard let method, let context else {
                return RPCError(code: .unimplemented, message: "unknown method '\(request.method)'")
            }
            state.highestCallID = max(state.highestCallID, request.callID)
            let task = Task { await self.serve(request, with: method, context: context) }
            state.calls[request.callID] = InFlightCall(task: task, deadlineTimer: deadlineTimer(for: request))
            return nil
        }
    }

    /// Runs the handler and answers the call, in one task.
    private func serve(_ request: Rapport_Wire_V1_Request, with method: RegisteredMethod, context: CallContext) async {
        let outcome: Result<[UInt8]?, RPCError>
        do {
            outcome = .success(try await runHandler(of: method, for: request, context: context))
        } catch {
            outcome = .failure(status(for: error, context: context))
        }
        let callID = request.callID
        // Forget the call before answering, so the client may reuse its id as soon as it reads the answer.
        let ended = state.withLock { state in
            state.lastActivity = .now
            return state.calls.removeValue(forKey: callID)
        }
        ended?.deadlineTimer?.cancel()
        let endReason = ended?.endReason
        if let final = finalFrame(callID: callID, outcome: outcome, endReason: endReason, context: context) {
            outbound.write(final)
        }
        closeIfDrained()
    }

    private func runHandler(
        of method: RegisteredMethod, for request: Rapport_Wire_V1_Request, context: CallContext
    ) async throws -> [UInt8]? {
        let callID = request.callID
        let payload = [UInt8](request.payload)
        let response = try await method.invoke(payload, context) { message in
            // A cancelled call stops streaming at its next message.
            try Task.checkCancellation()
            try self.checkSize(of: message)
            let frame = Frame.response(callID: callID, payload: message, endOfStream: false)
            // Backpressure: a stream waits for the socket rather than buffering without bound.
            if self.outbound.isWritable {
                self.outbound.write(frame)
            } else {
                try await self.outbound.writeAndWait(frame)
            }
        }
        try response.map(checkSize(of:))
        return response
    }

    private func finalFrame(
        callID: UInt64,
        outcome: Result<[UInt8]?, RPCError>,
        endReason: CallEndReason?,
        context: CallContext
    ) -> Rapport_Wire_V1_Frame? {
        let failure: RPCError
        switch (endReason, outcome) {
        case (.connectionClosed, _):
            return nil
        case (.cancelledByClient, _):
            failure = RPCError(code: .cancelled, message: "call cancelled by the client")
        case (.shutdown, _):
            failure = RPCError(code: .unavailable, message: "server shut down before the call finished")
        case (.deadlineExceeded(let timeout), _):
            failure = RPCError(code: .deadlineExceeded, message: "deadline of \(timeout) ms exceeded")
        case (nil, .success(let payload)):
            return .response(callID: callID, status: .ok, payload: payload ?? [], endOfStream: true)
        case (nil, .failure(let error)):
            failure = error
        }
        context.logger.warning("call failed", metadata: ["status": "\(failure.code)", "reason": "\(failure.message)"])
        return boundedFailure(callID: callID, failure)
    }

    /// Cancels the call when its timeout passes; nil for a call without a deadline.
    private func deadlineTimer(for request: Rapport_Wire_V1_Request) -> Scheduled<Void>? {
        let timeout = request.timeoutMs
        guard timeout > 0 else { return nil }
        let callID = request.callID
        return outbound.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout))) { [weak self] in
            self?.expire(callID, timeoutMilliseconds: timeout)
        }
    }

    private func expire(_ callID: UInt64, timeoutMilliseconds: UInt32) {
        let task = state.withLock { state -> Task<Void, Never>? in
            guard state.calls[callID] != nil, state.calls[callID]?.endReason == nil else { return nil }
            state.calls[callID]?.endReason = .deadlineExceeded(timeoutMilliseconds: timeoutMilliseconds)
            return state.calls[callID]?.task
        }
        task?.cancel()
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

    private func checkSize(of payload: [UInt8]) throws {
        guard payload.count <= maxPayloadSize else {
            throw RPCError(
                code: .resourceExhausted,
                message: "response of \(payload.count) bytes exceeds the frame limit of \(limits.maxFrameSize) bytes"
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

    private func makeContext(for request: Rapport_Wire_V1_Request, method: AnyMethodDescriptor) -> CallContext {
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
            services: services
        )
    }
}
