import Foundation
import RapportDomain
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

    /// The instant of a request's timestamp.
    /// - Throws: a failure naming `field` when the timestamp lies outside what protobuf allows
    ///   (years 1–9999, nanos 0–999,999,999), which also keeps it within what the store can keep.
    func date(field: String) throws(ValidationFailure) -> Date {
        guard Self.validSeconds.contains(seconds), (0..<1_000_000_000).contains(nanos) else {
            throw ValidationFailure(
                field: field,
                reason: "must be a valid timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z "
                    + "(got seconds \(seconds), nanos \(nanos))")
        }
        return date
    }
}

extension CalendarDate {
    /// The first instant of this UTC day, as a timestamp.
    var startTimestamp: Google_Protobuf_Timestamp {
        Google_Protobuf_Timestamp(date: utcStart)
    }
}
