import Foundation

/// Proleptic Gregorian arithmetic on `CalendarDate`, done by hand so that results never depend on
/// the host's calendar, locale or time zone settings.
extension CalendarDate {
    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` of `year`, or 0 for a month outside 1...12.
    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Whether this names a day that exists: month 1–12 and a day valid for that month and year.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= Self.daysInMonth(month, year: year)
    }

    /// The UTC calendar day containing `date`; the daemon keeps dates in UTC, so "today" is a UTC day.
    public init(utcDayOf date: Date) {
        // Clamped so that absurd instants cannot overflow the integer conversion.
        let seconds = min(max(date.timeIntervalSince1970, -1.0e14), 1.0e14)
        let days = Int((seconds / 86_400).rounded(.down))
        self = Self(daysSinceEpoch: days)
    }

    /// The first instant of this UTC day: the inverse of `init(utcDayOf:)`.
    public var utcStart: Date {
        Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400)
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CalendarDate {
        Self(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Whole days from `earlier` to this date; negative when `earlier` is later.
    public func days(since earlier: CalendarDate) -> Int {
        daysSinceEpoch - earlier.daysSinceEpoch
    }

    /// Completed years from `earlier` to this date, as for an age or an anniversary.
    /// Someone who started on 29 February completes a year on 1 March in common years.
    public func fullYears(since earlier: CalendarDate) -> Int {
        let years = year - earlier.year
        return (month, day) < (earlier.month, earlier.day) ? years - 1 : years
    }

    /// "YYYY-MM-DD", as used in reasons and messages.
    public var isoString: String {
        let y = year < 0 ? "-" + pad(-year, to: 4) : pad(year, to: 4)
        return "\(y)-\(pad(month, to: 2))-\(pad(day, to: 2))"
    }

    private func pad(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil). Components are clamped to sane
    /// ranges first so that an unvalidated date cannot trap on overflow.
    var daysSinceEpoch: Int {
        let m = min(max(month, 1), 12)
        let d = min(max(day, 1), 31)
        let y = min(max(year, -1_000_000), 1_000_000) - (m <= 2 ? 1 : 0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }
}
