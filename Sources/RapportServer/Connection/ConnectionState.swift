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
    /// Cancelled by Cancel, shutdown, the deadline or a lost connection. Nil only while the call
    /// is being started on the event loop (see `ServerConnection.admit`).
    var task: Task<Void, Never>?
    /// When the caller's timeout passes; nil for a call without one.
    let deadline: NIODeadline?
    /// The caller's `timeout_ms`, quoted when the deadline passes.
    let timeoutMilliseconds: UInt32
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
    /// One event-loop timer serves every call's deadline: it is armed for the earliest deadline
    /// and re-armed when it fires, so a call with a deadline usually schedules nothing.
    var armedDeadline: NIODeadline?
    var deadlineTimer: Scheduled<Void>?
    /// Set when the connection closes after a GoAway its client may still be reading behind
    /// queued answers: how long to wait for the client's close after shutting our side.
    var lingerBeforeClose: Duration?

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

    /// Whether the deadline timer must be (re)scheduled for a new call's `deadline`.
    mutating func arm(for deadline: NIODeadline) -> Bool {
        if let armedDeadline, armedDeadline <= deadline { return false }
        armedDeadline = deadline
        return true
    }

    /// Ends the calls whose deadline passed by `now` and re-arms for the earliest remaining one;
    /// returns the ended calls' tasks (to cancel) and the deadline to schedule the timer for.
    mutating func expireCalls(now: NIODeadline) -> (expired: [Task<Void, Never>], next: NIODeadline?) {
        var expired: [Task<Void, Never>] = []
        var next: NIODeadline?
        var expiredIDs: [UInt64] = []
        for (id, call) in calls where call.endReason == nil {
            guard let deadline = call.deadline else { continue }
            if deadline <= now {
                expiredIDs.append(id)
                if let task = call.task { expired.append(task) }
            } else if next.map({ deadline < $0 }) ?? true {
                next = deadline
            }
        }
        for id in expiredIDs {
            if let timeout = calls[id]?.timeoutMilliseconds {
                calls[id]?.endReason = .deadlineExceeded(timeoutMilliseconds: timeout)
            }
        }
        armedDeadline = next
        return (expired, next)
    }
}
