/// Why a call ended before its handler finished, which decides what the client is told.
enum CallEndReason: Sendable {
    /// The client sent Cancel: answer CANCELLED.
    case cancelledByClient
    /// The shutdown grace period ran out: answer UNAVAILABLE.
    case shutdown
    /// The connection is gone: answer nothing.
    case connectionClosed
}

/// A call the connection is serving.
///
/// Two tasks, so that cancelling the handler never cancels the write of the call's final Response
/// (NIO's async writer refuses writes from a cancelled task).
struct InFlightCall {
    /// Runs the handler; cancelled by Cancel, shutdown or a lost connection.
    let handler: Task<[UInt8]?, any Error>
    /// Waits for the handler and answers the call; never cancelled.
    let answer: Task<Void, Never>
    var endReason: CallEndReason?
}

/// What one connection knows about its calls; always accessed under its mutex.
struct ConnectionState {
    var calls: [UInt64: InFlightCall] = [:]
    /// Calls whose handler is done and whose final Response is being written.
    var finishing = 0
    /// The highest call id the server has taken up, reported in GoAway.
    var highestCallID: UInt64 = 0
    /// True once GoAway for shutdown was sent: no new calls start.
    var draining = false
    var lastActivity: ContinuousClock.Instant

    init(now: ContinuousClock.Instant) {
        lastActivity = now
    }

    /// No call is running or being answered.
    var isQuiet: Bool { calls.isEmpty && finishing == 0 }

    /// Marks every running call as ended for `reason` (unless it already has a reason) and returns them.
    mutating func endAll(_ reason: CallEndReason) -> [InFlightCall] {
        for id in calls.keys where calls[id]?.endReason == nil {
            calls[id]?.endReason = reason
        }
        return Array(calls.values)
    }
}
