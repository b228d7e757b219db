/// One UTC day of a customer's activity, as the store keeps it: contacts (interactions that
/// count as activity, complaints included) and, of those, complaints.
public struct DailyActivity: Sendable, Hashable {
    public var day: CalendarDate
    public var contacts: Int
    public var complaints: Int

    public init(day: CalendarDate, contacts: Int, complaints: Int) {
        self.day = day
        self.contacts = contacts
        self.complaints = complaints
    }
}

/// The two 90-day windows the lifecycle trend compares, as of a UTC day, and the sum of per-day
/// activity over them.
///
/// "Last 90 days" is the 90 days ending `today`, both ends included (today − 89 … today);
/// "previous 90 days" the 90 before (today − 179 … today − 90). Together they span 180 days,
/// so the store reads at most 180 rows per customer, from `earliestDay` on.
public struct ActivityWindow: Sendable, Hashable {
    /// The length of each window, in days.
    public static let windowDays = 90

    /// The UTC day the windows end on.
    public let today: CalendarDate

    public init(today: CalendarDate) {
        self.today = today
    }

    /// today − 89 … today.
    public var last: ClosedRange<CalendarDate> {
        today.adding(days: 1 - Self.windowDays)...today
    }

    /// today − 179 … today − 90.
    public var previous: ClosedRange<CalendarDate> {
        today.adding(days: 1 - 2 * Self.windowDays)...today.adding(days: -Self.windowDays)
    }

    /// The first day the store must read (today − 179); earlier days count in neither window.
    public var earliestDay: CalendarDate { previous.lowerBound }

    /// Sums `days` into the two windows. Days before `earliestDay` are ignored, so the input may
    /// hold more than 180 days; the same day may appear more than once (its counts add up).
    /// Days after `today` count in the last window: an `occurred_at` allowed by the clock-skew
    /// margin can fall on tomorrow's UTC day, and it is a current contact.
    /// - Parameters:
    ///   - firstContact: the day of the first contact on record, which may be long before the windows.
    ///   - lastContact: the day of the latest contact on record.
    public func summary(of days: [DailyActivity], firstContact: CalendarDate?, lastContact: CalendarDate?) -> ActivitySummary {
        var summary = ActivitySummary(
            contactsLast90Days: 0, contactsPrevious90Days: 0, complaintsLast90Days: 0,
            firstContact: firstContact, lastContact: lastContact)
        let lastStart = last.lowerBound
        for bucket in days {
            if bucket.day >= lastStart {
                summary.contactsLast90Days += bucket.contacts
                summary.complaintsLast90Days += bucket.complaints
            } else if bucket.day >= earliestDay {
                summary.contactsPrevious90Days += bucket.contacts
            }
        }
        return summary
    }
}
