import Foundation
import RapportDomain

/// When synthetic contacts happen over the log's last three years: busier in December and January,
/// quiet in August, lighter at weekends, and by day in each channel's hours. Never after `now`.
///
/// Days are numbered from the first day of the history (0) to today (`todayIndex`). Contacts are
/// placed by stratified sampling over the days' cumulative weight, so a customer's contacts keep
/// a steady rhythm (which the lifecycle's 90-day windows read) while following the seasons.
struct ContactCalendar: Sendable {
    /// How far back the synthetic log reaches.
    static let historyDays = 3 * 365

    /// A stretch of days (indices) that gets `count` contacts.
    struct Stretch: Sendable, Hashable {
        var days: ClosedRange<Int>
        var count: Int
    }

    let now: Date
    /// The UTC day number (days since 1970) of day index 0.
    let firstEpochDay: Int
    let todayIndex: Int
    /// `cumulative[i]` is the weight of days 0..<i; today counts only its elapsed part.
    private let cumulative: [Double]

    init(now: Date) {
        self.now = now
        let nowSeconds = now.timeIntervalSince1970
        let todayEpochDay = Int((nowSeconds / 86_400).rounded(.down))
        firstEpochDay = todayEpochDay - Self.historyDays
        todayIndex = Self.historyDays
        let elapsedToday = (nowSeconds - Double(todayEpochDay) * 86_400) / 86_400
        var cumulative = [0.0]
        cumulative.reserveCapacity(Self.historyDays + 2)
        for index in 0...Self.historyDays {
            let share = index == Self.historyDays ? elapsedToday : 1
            cumulative.append(cumulative[index] + Self.weight(epochDay: todayEpochDay - Self.historyDays + index) * share)
        }
        self.cumulative = cumulative
    }

    /// The index of the day `daysAgo` days before today, never before the history's first day.
    func index(daysAgo: Int) -> Int {
        max(0, todayIndex - daysAgo)
    }

    /// Day indices for every stretch's contacts, in ascending order.
    func days(_ stretches: [Stretch], random: inout SeededRandom) -> [Int] {
        var days: [Int] = []
        for stretch in stretches where stretch.count > 0 {
            let low = cumulative[stretch.days.lowerBound]
            let width = cumulative[stretch.days.upperBound + 1] - low
            for slot in 0..<stretch.count {
                let position = low + width * (Double(slot) + random.unit()) / Double(stretch.count)
                days.append(min(max(day(at: position), stretch.days.lowerBound), stretch.days.upperBound))
            }
        }
        return days.sorted()
    }

    /// An instant on day `index` within `channel`'s hours, no earlier than `notBefore` and never
    /// after `now`; uniformly in what is left of the day when none of those hours is left.
    func instant(day index: Int, channel: Channel, notBefore: Date, random: inout SeededRandom) -> Date {
        let dayStart = Double(firstEpochDay + index) * 86_400
        let lower = max(dayStart, notBefore.timeIntervalSince1970)
        let upper = min(dayStart + 86_400, now.timeIntervalSince1970)
        guard lower < upper else { return Date(timeIntervalSince1970: min(lower, now.timeIntervalSince1970)) }
        let open = Self.hours(channel).filter { hour, _ in
            dayStart + Double(hour + 1) * 3_600 > lower && dayStart + Double(hour) * 3_600 < upper
        }
        guard !open.isEmpty else { return Date(timeIntervalSince1970: lower + (upper - lower) * random.unit()) }
        let hourStart = dayStart + Double(random.weighted(open)) * 3_600
        let from = max(hourStart, lower)
        let to = min(hourStart + 3_600, upper)
        return Date(timeIntervalSince1970: from + (to - from) * random.unit())
    }

    /// `date` when it falls within `channel`'s hours, else within the hour after they next open:
    /// a supervisor does not call back at three in the morning.
    func withinHours(_ date: Date, channel: Channel, random: inout SeededRandom) -> Date {
        let hours = Self.hours(channel).map(\.0)
        let opens = hours.min() ?? 0
        let closes = (hours.max() ?? 23) + 1
        let seconds = date.timeIntervalSince1970
        let dayStart = (seconds / 86_400).rounded(.down) * 86_400
        let hour = (seconds - dayStart) / 3_600
        if hour >= Double(opens) && hour < Double(closes) { return date }
        let opening = dayStart + Double(opens) * 3_600 + (hour >= Double(closes) ? 86_400 : 0)
        return Date(timeIntervalSince1970: opening + random.unit() * 3_600)
    }

    /// The start of day `index`.
    func start(ofDay index: Int) -> Date {
        Date(timeIntervalSince1970: Double(firstEpochDay + index) * 86_400)
    }

    /// The day whose cumulative weight contains `position`.
    private func day(at position: Double) -> Int {
        var low = 0
        var high = cumulative.count - 2
        while low < high {
            let middle = (low + high + 1) / 2
            if cumulative[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Relative activity of a UTC day: the season times the day of the week.
    static func weight(epochDay: Int) -> Double {
        let month = CalendarDate(utcDayOf: Date(timeIntervalSince1970: Double(epochDay) * 86_400)).month
        let weekday = ((epochDay + 3) % 7 + 7) % 7  // 0 = Monday; 1970-01-01 was a Thursday.
        return monthWeights[month - 1] * (weekday >= 5 ? 0.65 : 1)
    }

    /// January to December: year-end spending and January's bills, the August holidays.
    private static let monthWeights = [1.2, 0.95, 1.0, 0.97, 0.98, 0.95, 0.9, 0.7, 1.0, 1.02, 1.08, 1.3]

    /// Hour-of-day weights: branches and relationship managers keep office hours, phones a long
    /// day, digital channels the waking day with an evening peak.
    private static func hours(_ channel: Channel) -> [(Int, Double)] {
        switch channel {
        case .branch, .relationshipManager: officeHours
        case .phone, .callCentre, .chat, .social, .email: serviceHours
        case .mobileApp, .web, .atm, .sms: wakingHours
        }
    }

    private static let officeHours: [(Int, Double)] = (9...16).map { ($0, $0 == 12 || $0 == 13 ? 1.4 : 1) }
    private static let serviceHours: [(Int, Double)] = (8...19).map { ($0, $0 < 10 || $0 > 17 ? 0.7 : 1) }
    private static let wakingHours: [(Int, Double)] = (6...23).map { ($0, $0 < 8 ? 0.4 : $0 >= 19 && $0 <= 21 ? 1.5 : 1) }
}
