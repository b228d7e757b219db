import Foundation
import RapportDomain

/// UTC days as the derived tables store them: whole days since 1970-01-01, so that a day is an
/// integer primary-key column and a window of days is an index range.
enum UTCDay {
    private static let epoch = CalendarDate(year: 1970, month: 1, day: 1)
    private static let millisPerDay: Int64 = 86_400_000

    /// The day containing an instant stored as milliseconds since 1970 (days before 1970 are negative).
    static func number(millis: Int64) -> Int64 {
        let (quotient, remainder) = millis.quotientAndRemainder(dividingBy: millisPerDay)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The day containing `date`.
    static func number(of date: Date) throws -> Int64 {
        number(millis: try StoredTime.millis(date))
    }

    /// The day number of a calendar date.
    static func number(of date: CalendarDate) -> Int64 {
        Int64(date.days(since: epoch))
    }

    /// The calendar date of a day number.
    static func date(_ day: Int64) -> CalendarDate {
        // Stored days come from `StoredTime` milliseconds (< 2^53), so they fit an Int.
        epoch.adding(days: Int(truncatingIfNeeded: day))
    }
}
