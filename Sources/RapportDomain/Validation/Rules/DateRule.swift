/// Calendar-date checks: a date must exist and must not lie in the future.
enum DateRule {
    /// A reason when `date` does not exist (month 1–12, day within the month, leap years counted).
    static func existence(_ date: CalendarDate) -> String? {
        date.isValid ? nil : "must be a real calendar date (\(date.isoString) does not exist)"
    }

    /// A reason when `date` is after `today`.
    static func notFuture(_ date: CalendarDate, today: CalendarDate) -> String? {
        date > today ? "must not be in the future (\(date.isoString) is after today, \(today.isoString))" : nil
    }
}
