import Foundation
import Logging
import NIOCore
import RapportWire
import Synchronization

/// One client connection: reads frames, starts and cancels calls, answers pings, and closes
/// on protocol violations, idleness or shutdown. Calls run concurrently and are answered in
/// whatever order they finish.
final class ServerConnection: Sendable {
    typealias Frame = Rapport_Wire_V1_Frame

    let id: UInt64
    let registry: MethodRegistry
    /// The registry's services (listed once by the server), for every call's context.
    let services: [ServiceDescriptor]
    let limits: ServerConfiguration.Limits
    let logger: Logger
    let outbound: CoalescingFrameWriter
    /// Authentication and access control; nil serves every caller (a server without security).
    let security: ConnectionSecurity?
    /// The client's address ("ip:port"), for the call contexts and refusals; nil when unknown.
    let peer: String?
    let state: Mutex<ConnectionState>
    /// Finishing it ends the connection (drained, idle or forced closed).
    let closeRequests: AsyncStream<Void>.Continuation
    private let closeRequested: AsyncStream<Void>

    init(
        id: UInt64,
        registry: MethodRegistry,
        services: [ServiceDescriptor],
        limits: ServerConfiguration.Limits,
        logger: Logger,
        outbound: CoalescingFrameWriter,
        security: ConnectionSecurity? = nil,
        peer: String? = nil
    ) {
        self.security = security
        self.peer = peer
        self.id = id
        self.registry = registry
        self.services = services
        self.limits = limits
        self.logger = logger
        self.outbound = outbound
        self.state = Mutex(ConnectionState(now: .now))
        (closeRequested, closeRequests) = AsyncStream.makeStream(of: Void.self)
    }

    /// Serves the connection until the peer leaves, a violation, idleness or shutdown ends it.
    ///
    /// Frames are handled on the event loop as they are decoded (`ServerFrameHandler`), not here:
    /// `inbound` carries none, it only tells when the peer closed the connection or it failed.
    func run(inbound: NIOAsyncChannelInboundStream<Frame>) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForPeer(inbound) }
            group.addTask { await self.closeWhenIdle() }
            group.addTask {
                for await _ in self.closeRequested {}
            }
            await group.next()
            group.cancelAll()
        }
        let (remaining, timer) = state.withLock { state in
            defer { state.deadlineTimer = nil }
            return (state.endAll(.connectionClosed), state.deadlineTimer)
        }
        timer?.cancel()
        for call in remaining {
            call.task?.cancel()
        }
        for call in remaining {
            await call.task?.value
        }
        // The channel closes next; frames written so far (a GoAway, final answers) go out first.
        await outbound.flushPending()
        if let linger = state.withLock({ $0.lingerBeforeClose }) {
            await outbound.finishOutput(lingering: linger)
        }
    }

    /// Begins a graceful shutdown: GoAway, no new calls, close once the running ones are answered.
    func drain() {
        let (lastCallID, quiet) = state.withLock { state in
            state.draining = true
            return (state.highestCallID, state.isQuiet)
        }
        send(.goAway(.unavailable, "server is shutting down", lastCallID: lastCallID))
        if quiet {
            closeRequests.finish()
        }
    }

    /// Ends the grace period: cancels running calls (they are answered UNAVAILABLE), then closes.
    func forceClose() {
        let calls = state.withLock { $0.endAll(.shutdown) }
        for call in calls {
            call.task?.cancel()
        }
        if calls.isEmpty {
            closeRequests.finish()
        }
    }

    /// Writes a frame; a connection that is already gone makes this a no-op.
    func send(_ frame: Frame) {
        outbound.write(frame)
    }

    /// Asks the connection to close once it is quiet and draining.
    func closeIfDrained() {
        if state.withLock({ $0.draining && $0.isQuiet }) {
            closeRequests.finish()
        }
    }

    private func waitForPeer(_ inbound: NIOAsyncChannelInboundStream<Frame>) async {
        do {
            for try await _ in inbound {}
            if !Task.isCancelled {
                logger.info("connection closed by peer")
            }
        } catch is CancellationError {
            // Closed from this side: drained, idle, shut down or a protocol violation.
        } catch {
            logger.info("connection lost", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Handles one inbound frame, on the event loop; throws for frames that break the protocol.
    func receive(_ frame: Frame) throws {
        switch frame.kind {
        case .request(let request):
            if let rejection = try admit(request) {
                let requestID = RequestID.from(metadata: request.metadata).text
                logRefusal(of: request, rejection.error, principal: rejection.principal, requestID: requestID)
                if rejection.reported {
                    report(rejection, of: request, requestID: requestID)
                }
                send(.failure(callID: request.callID, rejection.error))
            }
        case .cancel(let cancel):
            cancelCall(cancel.callID)
        case .ping(let ping):
            noteActivity()
            send(.pong(nonce: ping.nonce))
        case .pong:
            noteActivity()
        case .response:
            throw WireProtocolError(.protocolViolation, "clients may not send response frames")
        case .goAway:
            throw WireProtocolError(.protocolViolation, "clients may not send go_away frames")
        case nil:
            throw WireProtocolError(.malformedFrame, "frame has no kind set")
        }
    }

    /// Answers a broken frame or protocol rule with GoAway and closes the connection.
    func protocolViolation(_ violation: WireProtocolError) {
        let lastCallID = state.withLock { $0.highestCallID }
        logger.warning(
            "closing connection: protocol violation",
            metadata: ["status": "\(violation.statusCode)", "reason": "\(violation.message)"]
        )
        send(.goAway(violation.statusCode, violation.message, lastCallID: lastCallID))
        closeRequests.finish()
    }

    /// One line for a call refused before any handler ran (unknown method, the connection's
    /// concurrency limit, shutting down), at the level of a handler's failure ("call failed").
    /// Built only for refusals; the method and reason are bounded and stripped of control
    /// characters, since an unknown method is whatever text the caller sent. Never the payload.
    private func logRefusal(of request: Rapport_Wire_V1_Request, _ refusal: RPCError, principal: String?, requestID: String) {
        guard logger.logLevel <= .warning else { return }
        var logger = self.logger
        if let principal {
            logger[metadataKey: "principal"] = "\(principal)"
        }
        logger[metadataKey: "request_id"] = "\(requestID)"
        logger[metadataKey: "call_id"] = "\(request.callID)"
        logger[metadataKey: "method"] = "\(Self.loggable(request.method))"
        logger.warning(
            "call refused",
            metadata: ["status": "\(refusal.code)", "reason": "\(refusal.logSummary?.description ?? Self.loggable(refusal.message))"])
    }

    /// Tells the refusal observer of a call refused for its credential, permission or principal limit.
    private func report(_ refusal: CallRejection, of request: Rapport_Wire_V1_Request, requestID: String) {
        guard let observer = security?.rules.refusalObserver else { return }
        observer.callRefused(
            CallRefusal(
                time: Date(), method: Self.loggable(request.method), principal: refusal.principal, code: refusal.error.code,
                requestID: requestID, peer: peer))
    }

    /// Caller-supplied text made safe for one log line (see `LogText.escaped`).
    static func loggable(_ text: String, limit: Int = 256) -> String {
        LogText.escaped(text, limit: limit)
    }

    private func noteActivity() {
        state.withLock { $0.lastActivity = .now }
    }

    /// Stops a call at the client's request; an unknown id is a call that already finished.
    private func cancelCall(_ callID: UInt64) {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.lastActivity = .now
            guard state.calls[callID] != nil, state.calls[callID]?.endReason == nil else { return nil }
            state.calls[callID]?.endReason = .cancelledByClient
            return state.calls[callID]?.task ?? nil
        }
        task?.cancel()
    }

    private func closeWhenIdle() async {
        let timeout = limits.idleTimeout
        while !Task.isCancelled {
            let idleSince: ContinuousClock.Instant? = state.withLock { $0.isQuiet ? $0.lastActivity : nil }
            let wakeAt = (idleSince ?? .now) + timeout
            if let idleSince, idleSince + timeout <= .now {
                let lastCallID = state.withLock { $0.highestCallID }
                logger.info("closing idle connection", metadata: ["idle_timeout": "\(timeout)"])
                send(.goAway(.unavailable, "connection idle for \(timeout)", lastCallID: lastCallID))
                closeRequests.finish()
                return
            }
            do {
                try await Task.sleep(until: wakeAt, clock: .continuous)
            } catch {
                return
            }
        }
    }
}
