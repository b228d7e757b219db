import RapportDomain
import Testing

@Suite("Interactions: activity windows")
struct ActivityWindowTests {
    let window = ActivityWindow(today: today)

    /// One day's bucket `daysAgo` days before today.
    private func bucket(_ daysAgo: Int, contacts: Int = 1, complaints: Int = 0) -> DailyActivity {
        DailyActivity(day: today.adding(days: -daysAgo), contacts: contacts, complaints: complaints)
    }

    private func summary(_ buckets: [DailyActivity]) -> ActivitySummary {
        window.summary(of: buckets, firstContact: nil, lastContact: nil)
    }

    @Test("The last 90 days end today inclusive; the previous 90 come before; the store reads 180 days")
    func ranges() {
        #expect(window.last == day(2024, 3, 18)...day(2024, 6, 15))
        #expect(window.previous == day(2023, 12, 19)...day(2024, 3, 17))
        #expect(window.earliestDay == day(2023, 12, 19))
        #expect(today.days(since: window.earliestDay) + 1 == 180)
        #expect(window.last.lowerBound.days(since: window.previous.upperBound) == 1)
        #expect(today.days(since: window.last.lowerBound) + 1 == ActivityWindow.windowDays)
    }

    /// Where a bucket of 3 contacts and 1 complaint lands: [last 90 contacts, previous 90 contacts, last 90 complaints].
    @Test("Each day falls in the right window at the boundaries", arguments: [
        (-1, [3, 0, 1]), (0, [3, 0, 1]), (89, [3, 0, 1]), (90, [0, 3, 0]), (179, [0, 3, 0]), (180, [0, 0, 0]), (5000, [0, 0, 0]),
    ])
    func boundaries(_ daysAgo: Int, _ expected: [Int]) {
        let result = summary([bucket(daysAgo, contacts: 3, complaints: 1)])
        #expect([result.contactsLast90Days, result.contactsPrevious90Days, result.complaintsLast90Days] == expected)
    }

    @Test("Counts add up across days, and repeated days add up too")
    func sums() {
        let result = summary([
            bucket(0, contacts: 2, complaints: 1), bucket(0, contacts: 1), bucket(45, contacts: 4, complaints: 2),
            bucket(120, contacts: 5, complaints: 3), bucket(179, contacts: 1), bucket(200, contacts: 50, complaints: 9),
        ])
        #expect(result == ActivitySummary(contactsLast90Days: 7, contactsPrevious90Days: 6, complaintsLast90Days: 3))
        #expect(summary([]) == ActivitySummary(contactsLast90Days: 0, contactsPrevious90Days: 0, complaintsLast90Days: 0))
    }

    @Test("First and last contact pass through, however old")
    func firstAndLast() {
        let result = window.summary(of: [bucket(3)], firstContact: day(2009, 2, 28), lastContact: today.adding(days: -3))
        #expect(result.firstContact == day(2009, 2, 28))
        #expect(result.lastContact == day(2024, 6, 12))
    }

    @Test("Windows cross year ends and leap days by the calendar")
    func calendar() {
        let march = ActivityWindow(today: day(2024, 3, 1))
        #expect(march.last.lowerBound == day(2023, 12, 3))
        #expect(march.earliestDay == day(2023, 9, 4))
        let common = ActivityWindow(today: day(2023, 3, 1))
        #expect(common.last.lowerBound == day(2022, 12, 2))
    }

    @Test("A halving of activity across the windows marks decline")
    func feedsDecline() {
        let buckets = (90..<180).filter { $0 % 9 == 0 }.map { bucket($0) } + [bucket(10), bucket(20), bucket(30), bucket(40), bucket(50)]
        let activity = window.summary(of: buckets, firstContact: day(2015, 1, 1), lastContact: today.adding(days: -10))
        #expect(activity.contactsPrevious90Days == 10)
        #expect(activity.contactsLast90Days == 5)
        var profile = CustomerProfile()
        profile.products = (0..<3).map { _ in ProductHolding(productCode: "SAVER", openedOn: day(2015, 1, 1)) }
        let segmentation = Segmenter(policy: .defaults).segment(profile, customerSince: instant(today), activity: activity, today: today)
        #expect(segmentation.lifecycleStage == .decline)
        #expect(segmentation.lifecycleReasons == ["contacts fell 50% from 10 to 5 in the last 90 days (≥ 50% with at least 4 before)"])
    }
}
