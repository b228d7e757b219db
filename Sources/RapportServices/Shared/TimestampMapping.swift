import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf

extension Google_Protobuf_Timestamp {
    /// The store keeps instants to the millisecond; rounding there avoids binary-fraction noise
    /// such as ".740000010" in the nanoseconds.
    static func millisecondPrecise(_ date: Date) -> Google_Protobuf_Timestamp {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        return remainder < 0
            ? Google_Protobuf_Timestamp(seconds: seconds - 1, nanos: Int32(remainder + 1000) * 1_000_000)
            : Google_Protobuf_Timestamp(seconds: seconds, nanos: Int32(remainder) * 1_000_000)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range a protobuf Timestamp may hold.
    static let validSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// The instant of a request's timestamp: the one conversion every wire timestamp the services
    /// read goes through. swift-protobuf's own `date` and `timeInterval` subtract without overflow
    /// checks, so a `seconds` near Int64.min traps the process; they are never used on request
    /// values (a test keeps it so).
    /// - Throws: a failure naming `field` when the timestamp lies outside what protobuf allows
    ///   (years 1–9999, nanos 0–999,999,999), which also keeps it within what the store can keep.
    func date(field: String) throws(ValidationFailure) -> Date {
        guard Self.validSeconds.contains(seconds), (0..<1_000_000_000).contains(nanos) else {
            throw ValidationFailure(
                field: field,
                reason: "must be a valid timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z "
                    + "(got seconds \(seconds), nanos \(nanos))")
        }
        // Both parts are in range, so the sum is exact enough and cannot overflow.
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1_000_000_000)
    }
}

extension Rapport_V1_Date {
    /// Years a request's calendar day may name: those of a valid Timestamp, so every day the
    /// services read has instants the store can keep.
    static let validYears: ClosedRange<Int32> = 1...9999

    /// The day of a request's date: the one conversion every wire day used as a bound or a
    /// reference day goes through (profile dates are judged by `CustomerValidator`, which names
    /// its own rules).
    /// - Throws: a failure naming `field` for a day that does not exist or lies outside years 1–9999.
    func calendarDate(field: String) throws(ValidationFailure) -> CalendarDate {
        let day = CalendarDate(wire: self)
        guard Self.validYears.contains(year), day.isValid else {
            throw ValidationFailure(field: field, reason: "is not a calendar date between years 1 and 9999 (\(day.isoString))")
        }
        return day
    }
}

extension CalendarDate {
    /// The first instant of this UTC day, as a timestamp.
    var startTimestamp: Google_Protobuf_Timestamp {
        Google_Protobuf_Timestamp(date: utcStart)
    }
}
