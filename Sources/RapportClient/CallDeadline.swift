import RapportWire

/// The local deadline of a call, and the `timeout_ms` it puts on the wire.
struct CallDeadline: Sendable {
    let instant: ContinuousClock.Instant
    /// The caller's timeout, rounded up, for the error message.
    let timeoutMilliseconds: UInt64

    init(timeout: Duration, now: ContinuousClock.Instant = .now) {
        instant = now + timeout
        timeoutMilliseconds = Self.milliseconds(roundingUp: timeout)
    }

    /// The remaining time in whole milliseconds (rounded up so the server never gives up
    /// before the client, at least 1 since 0 means "no deadline"); nil once it has passed.
    func wireTimeout(now: ContinuousClock.Instant = .now) -> UInt32? {
        let remaining = now.duration(to: instant)
        guard remaining > .zero else { return nil }
        return UInt32(clamping: max(1, Self.milliseconds(roundingUp: remaining)))
    }

    var exceededError: RPCError {
        RPCError(code: .deadlineExceeded, message: "deadline of \(timeoutMilliseconds) ms exceeded")
    }

    static func milliseconds(roundingUp duration: Duration) -> UInt64 {
        guard duration > .zero else { return 0 }
        let (seconds, attoseconds) = duration.components
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let fraction = UInt64((attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond)
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1000)
        let (total, carry) = whole.addingReportingOverflow(fraction)
        return overflow || carry ? .max : total
    }
}
