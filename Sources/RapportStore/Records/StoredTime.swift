import Foundation

/// Times are stored as integer milliseconds since 1970; stored dates are rounded to the millisecond.
enum StoredTime {
    /// 2^53: beyond this a Double no longer holds every millisecond.
    private static let limit: Double = 9_007_199_254_740_992

    /// Milliseconds since 1970, rounded to nearest.
    static func millis(_ date: Date) throws -> Int64 {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis.isFinite, abs(millis) < limit else {
            throw StoreError(.other, "date \(date) is out of the storable range")
        }
        return Int64(millis)
    }

    /// The date for stored milliseconds.
    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
