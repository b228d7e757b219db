/// An amount of money: integer minor units and an ISO 4217 currency code. Never floating point.
public struct Money: Sendable, Hashable, Codable {
    public var minorUnits: Int64
    /// Three upper-case letters, e.g. "GBP".
    public var currencyCode: String

    public init(minorUnits: Int64, currencyCode: String) {
        self.minorUnits = minorUnits
        self.currencyCode = currencyCode
    }
}

/// A calendar date without a time zone.
public struct CalendarDate: Sendable, Hashable, Codable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
