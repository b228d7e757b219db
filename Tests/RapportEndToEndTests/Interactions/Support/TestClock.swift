import Foundation
import Synchronization

/// The daemon's clock in interaction tests: fixed until a test moves it, so due times, `overdue`,
/// the future-skew limit and the activity windows are exact instead of racing the wall clock.
final class TestClock: Sendable {
    /// Monday 2026-06-15 10:00:00 UTC: any fixed instant works; this one is mid-day and mid-year.
    static let start = Date(timeIntervalSince1970: 1_781_517_600)

    private let current = Mutex(TestClock.start)

    var now: Date { current.withLock { $0 } }

    func set(_ date: Date) {
        current.withLock { $0 = date }
    }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }

    /// `now` moved by whole days, hours, minutes and seconds (negative values for the past).
    func offset(days: Double = 0, hours: Double = 0, minutes: Double = 0, seconds: Double = 0) -> Date {
        now.addingTimeInterval(days * 86_400 + hours * 3_600 + minutes * 60 + seconds)
    }

    /// Midnight UTC at the start of `now`'s day, moved by `days`.
    func startOfDay(_ days: Int = 0) -> Date {
        let midnight = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: midnight + Double(days) * 86_400)
    }
}
