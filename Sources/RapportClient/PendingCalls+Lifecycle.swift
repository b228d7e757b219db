import RapportWire

/// Receives the Pong of one ping: a Void element, or the error that ended the connection.
typealias PingSink = AsyncThrowingStream<Void, any Error>.Continuation

extension PendingCalls {
    /// Writes a frame; once the connection is gone it is dropped.
    func send(_ frame: Rapport_Wire_V1_Frame) {
        outbound.write(frame)
    }

    func startPing(_ sink: PingSink) throws(RPCError) -> UInt64 {
        try state.withLock { state throws(RPCError) -> UInt64 in
            // A ping is still answered while the server is going away, so only a closed connection refuses it.
            if let refusal = state.closedError { throw refusal }
            let nonce = state.nextNonce
            state.nextNonce += 1
            state.pings[nonce] = sink
            var frame = Rapport_Wire_V1_Frame()
            frame.ping = .with { $0.nonce = nonce }
            outbound.write(frame)
            return nonce
        }
    }

    func receivePong(nonce: UInt64) {
        guard let sink = state.withLock({ $0.pings.removeValue(forKey: nonce) }) else { return }
        sink.yield(())
        sink.finish()
    }

    /// The pinging task stopped waiting; a late Pong is then ignored.
    func dropPing(nonce: UInt64) {
        _ = state.withLock { $0.pings.removeValue(forKey: nonce) }
    }

    /// Calls above `last_call_id` were never started by the server; the rest may still finish.
    func receiveGoAway(_ goAway: Rapport_Wire_V1_GoAway) {
        let message = goAway.status.message.isEmpty
            ? "\(StatusCode(wireValue: goAway.status.code))" : goAway.status.message
        let error = ClientErrors.goingAway(message)
        let doomed = state.withLock { state in
            state.goAwayMessage = message
            let ids = state.calls.keys.filter { $0 > goAway.lastCallID }
            return ids.compactMap { state.take($0, result: .failure(error)) }
        }
        for call in doomed { call.finish(.failure(error)) }
    }

    /// The reader saw the end of the connection: everything still waiting fails with UNAVAILABLE.
    func connectionLost(error: (any Error)?) {
        let (taken, failure) = state.withLock { state -> ((calls: [CallEntry], pings: [PingSink]), RPCError) in
            var message = "connection to \(endpoint) closed"
            if let goAway = state.goAwayMessage {
                message += ": \(goAway)"
            } else if let error {
                message += ": \(error)"
            }
            let failure = RPCError(code: .unavailable, message: message, cause: error)
            // After close() new calls keep being refused with "client closed".
            if state.closedError == nil { state.closedError = failure }
            return (Self.takeAll(&state, failingWith: failure), failure)
        }
        finish(calls: taken.calls, pings: taken.pings, with: failure)
    }

    /// The application closed the client: in-flight calls are cancelled, not "unavailable".
    func shutDown() {
        let taken = state.withLock { state in
            if state.closedError == nil { state.closedError = ClientErrors.clientClosedRefusal }
            return Self.takeAll(&state, failingWith: ClientErrors.clientClosed)
        }
        finish(calls: taken.calls, pings: taken.pings, with: ClientErrors.clientClosed)
    }

    private static func takeAll(_ state: inout State, failingWith error: RPCError) -> (calls: [CallEntry], pings: [PingSink]) {
        let ids = Array(state.calls.keys)
        let calls = ids.compactMap { state.take($0, result: .failure(error)) }
        defer { state.pings.removeAll() }
        return (calls, Array(state.pings.values))
    }

    private func finish(calls: [CallEntry], pings: [PingSink], with error: RPCError) {
        for call in calls { call.finish(.failure(error)) }
        for ping in pings { ping.finish(throwing: error) }
    }
}
