import Foundation
import RapportDomain
import Testing

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("Real dates are valid, including leap days", arguments: [
        day(2024, 2, 29), day(2000, 2, 29), day(2023, 12, 31), day(2023, 4, 30), day(1900, 1, 1),
    ])
    func validDates(_ date: CalendarDate) {
        #expect(date.isValid)
    }

    @Test("Dates that do not exist are invalid", arguments: [
        day(2023, 2, 29), day(1900, 2, 29), day(2100, 2, 29), day(2024, 2, 30), day(2024, 4, 31),
        day(2024, 13, 1), day(2024, 0, 10), day(2024, 1, 0), day(2024, 1, 32),
    ])
    func invalidDates(_ date: CalendarDate) {
        #expect(!date.isValid)
    }

    @Test("Day arithmetic crosses months, leap days and the epoch")
    func arithmetic() {
        #expect(day(2024, 3, 1).days(since: day(2024, 2, 28)) == 2)
        #expect(day(2023, 3, 1).days(since: day(2023, 2, 28)) == 1)
        #expect(day(2025, 1, 1).days(since: day(2024, 1, 1)) == 366)
        #expect(day(1970, 1, 1).adding(days: -1) == day(1969, 12, 31))
        #expect(day(2024, 2, 28).adding(days: 1) == day(2024, 2, 29))
        #expect(day(2024, 12, 31).adding(days: 1) == day(2025, 1, 1))
        #expect(day(2024, 1, 1).days(since: day(2024, 1, 10)) == -9)
    }

    @Test("Adding days and counting them back agree over a long range")
    func roundTrip() {
        let start = day(1899, 12, 25)
        var date = start
        for offset in 0..<(366 * 130) {
            #expect(date.isValid)
            if date.days(since: start) != offset { Issue.record("\(date.isoString) is not \(offset) days after start"); return }
            date = date.adding(days: 1)
        }
    }

    @Test("The UTC day of an instant")
    func utcDay() {
        #expect(CalendarDate(utcDayOf: Date(timeIntervalSince1970: 0)) == day(1970, 1, 1))
        #expect(CalendarDate(utcDayOf: Date(timeIntervalSince1970: -1)) == day(1969, 12, 31))
        // 2024-02-29T23:59:59Z
        #expect(CalendarDate(utcDayOf: Date(timeIntervalSince1970: 1_709_251_199)) == day(2024, 2, 29))
        #expect(CalendarDate(utcDayOf: Date(timeIntervalSince1970: 1_709_251_200)) == day(2024, 3, 1))
    }

    @Test("The first instant of a UTC day, and back")
    func utcStart() {
        #expect(day(1970, 1, 1).utcStart == Date(timeIntervalSince1970: 0))
        #expect(day(1969, 12, 31).utcStart == Date(timeIntervalSince1970: -86_400))
        #expect(day(2024, 3, 1).utcStart == Date(timeIntervalSince1970: 1_709_251_200))
        for offset in stride(from: -40_000, through: 40_000, by: 997) {
            let date = day(2000, 1, 1).adding(days: offset)
            #expect(CalendarDate(utcDayOf: date.utcStart) == date)
            #expect(CalendarDate(utcDayOf: date.utcStart.addingTimeInterval(86_399)) == date)
        }
    }

    @Test("Full years count anniversaries; a 29 February start completes a year on 1 March")
    func fullYears() {
        #expect(day(2024, 6, 15).fullYears(since: day(2022, 6, 15)) == 2)
        #expect(day(2024, 6, 14).fullYears(since: day(2022, 6, 15)) == 1)
        #expect(day(2025, 2, 28).fullYears(since: day(2024, 2, 29)) == 0)
        #expect(day(2025, 3, 1).fullYears(since: day(2024, 2, 29)) == 1)
    }

    @Test("ISO strings are zero-padded")
    func isoString() {
        #expect(day(2024, 2, 9).isoString == "2024-02-09")
        #expect(day(987, 1, 1).isoString == "0987-01-01")
    }
}
