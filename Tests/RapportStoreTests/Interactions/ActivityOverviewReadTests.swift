import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct ActivityOverviewReadTests {
    @Test func overviewReadsRecentFollowUpsLatestSurveyAndActivity() async throws {
        try await withStore { store in
            let ids = try await ReadFixture.customers(store, count: 2)
            let (customer, other) = (ids[0], ids[1])
            let day = Int64(ReadFixture.day * 1000)
            var log: [Interaction] = []
            // One contact a day for 200 days up to today (day 0), a complaint every 10th day,
            // a survey every 50th, and a note (not activity) each day.
            for offset in 0..<200 {
                let kind: InteractionKind = offset % 50 == 0 ? .surveyResponse : offset % 10 == 0 ? .complaint : .inquiry
                log.append(ReadFixture.interaction(
                    ReadFixture.id(2 * offset), customer: customer, kind: kind, at: ReadFixture.time(-Int64(offset) * day + 3_600_000),
                    score: 3))
                log.append(ReadFixture.interaction(
                    ReadFixture.id(2 * offset + 1), customer: customer, kind: .note, at: ReadFixture.time(-Int64(offset) * day)))
            }
            log.append(ReadFixture.interaction("int_x", customer: other, kind: .surveyResponse, at: ReadFixture.time(day / 2)))
            try await ReadFixture.load(log, into: store)
            let today = CalendarDate(utcDayOf: ReadFixture.midnight)

            let overview = try await store.activityOverview(customerID: customer, recent: 5, today: today)
            let newest = log.filter { $0.customerID == customer }.sorted(by: newestFirst)
            #expect(overview.recentInteractions == Array(newest.prefix(5)))
            #expect(overview.latestSurvey?.id == ReadFixture.id(0))
            let open = try await store.followUps(FollowUpFilter(customerID: customer), pageSize: 1000, after: nil).items
            #expect(overview.openFollowUps == Array(open.prefix(100)))
            #expect(overview.openFollowUps.count == 20, "16 complaints and 4 detractor surveys")
            // Days 0–89 and 90–179 back: 90 contacts each; complaints on days 10, 20, 30, 40, 60, 70, 80 in the last.
            #expect(overview.activity.contactsLast90Days == 90)
            #expect(overview.activity.contactsPrevious90Days == 90)
            #expect(overview.activity.complaintsLast90Days == 7)
            #expect(overview.activity.firstContact == today.adding(days: -199))
            #expect(overview.activity.lastContact == today)
            #expect(overview.activity == (try await store.activity(customerID: customer, today: today)))
        }
    }

    @Test func recentIsClampedAndAnUnknownCustomerIsNotFound() async throws {
        try await withStore { store in
            let customer = try await ReadFixture.customers(store, count: 1)[0]
            let log = (0..<150).map {
                ReadFixture.interaction(ReadFixture.id($0), customer: customer, at: ReadFixture.time(Int64($0) * 1000))
            }
            try await ReadFixture.load(log, into: store)
            let today = CalendarDate(utcDayOf: ReadFixture.midnight)
            #expect(try await store.activityOverview(customerID: customer, recent: -3, today: today).recentInteractions.isEmpty)
            let full = try await store.activityOverview(customerID: customer, recent: 500, today: today)
            #expect(full.recentInteractions.count == 100)
            #expect(full.firstContactAt == log.first?.occurredAt && full.lastContactAt == log.last?.occurredAt)

            let quiet = try await ReadFixture.customers(store, count: 1)[0]
            let empty = try await store.activityOverview(customerID: quiet, recent: 10, today: today)
            #expect(empty == ActivityOverview(
                recentInteractions: [], openFollowUps: [], latestSurvey: nil,
                activity: ActivitySummary(contactsLast90Days: 0, contactsPrevious90Days: 0, complaintsLast90Days: 0)))
            let error = await storeError { _ = try await store.activityOverview(customerID: "cus_missing", recent: 10, today: today) }
            #expect(error?.kind == .notFound)
        }
    }
}
