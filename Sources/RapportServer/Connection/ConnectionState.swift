import NIOCore

/// Why a call ended before its handler finished, which decides what the client is told.
enum CallEndReason: Sendable {
    /// The client sent Cancel: answer CANCELLED.
    case cancelledByClient
    /// The shutdown grace period ran out: answer UNAVAILABLE.
    case shutdown
    /// The connection is gone: answer nothing.
    case connectionClosed
    /// The caller's timeout passed: answer DEADLINE_EXCEEDED.
    case deadlineExceeded(timeoutMilliseconds: UInt32)
}

/// A call the connection is serving.
struct InFlightCall {
    /// Runs the handler, then writes the final Response (a cancelled task still writes it:
    /// frames go out through the connection's writer, which ignores task cancellation).
    /// Cancelled by Cancel, shutdown or a lost connection.
    let task: Task<Void, Never>
    /// Fires at the caller's deadline; an event-loop timer, cheaper than a sleeping task per call.
    var deadlineTimer: Scheduled<Void>?
    var endReason: CallEndReason?
}

/// What one connection knows about its calls; always accessed under its mutex.
struct ConnectionState {
    var calls: [UInt64: InFlightCall] = [:]
    /// The highest call id the server has taken up, reported in GoAway.
    var highestCallID: UInt64 = 0
    /// True once GoAway for shutdown was sent: no new calls start.
    var draining = false
    var lastActivity: ContinuousClock.Instant

    init(now: ContinuousClock.Instant) {
        lastActivity = now
    }

    /// No call is running (a finished call's Response is already written when it leaves `calls`).
    var isQuiet: Bool { calls.isEmpty }

    /// Marks every running call as ended for `reason` (unless it already has a reason) and returns them.
    mutating func endAll(_ reason: CallEndReason) -> [InFlightCall] {
        for id in calls.keys where calls[id]?.endReason == nil {
            calls[id]?.endReason = reason
        }
        return Array(calls.values)
    }
}
