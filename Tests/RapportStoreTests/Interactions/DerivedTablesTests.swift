import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct DerivedTablesTests {
    @Test(arguments: [(0, true), (6, true), (7, false), (8, false), (9, false), (10, false)])
    func detractorsOpenAFollowUpAndOthersDoNot(_ score: Int, _ opens: Bool) async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store, branch: "BR042")
            let survey = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .surveyResponse, daysAgo: 0.5, score: score))
            #expect(try await store.count("open_follow_ups", where: "interaction_id", is: survey.id) == (opens ? 1 : 0))
            guard opens else { return }
            let due = try await store.integer("SELECT due_at FROM open_follow_ups WHERE interaction_id = ?", [survey.id])
            #expect(Int64(due) == (try StoredTime.millis(survey.occurredAt.addingTimeInterval(LogFixture.day))))
            let reason = try await store.pool.read { db in
                try String.fetchOne(db, sql: "SELECT reason || '/' || branch_id FROM open_follow_ups WHERE interaction_id = ?", arguments: [survey.id])
            }
            #expect(reason == "detractor/BR042")
        }
    }

    @Test func aComplaintOpensAFollowUpThatItsFollowUpCloses() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let complaint = try await LogFixture.logged(store, LogFixture.interaction(customer.id, .complaint, daysAgo: 1))
            #expect(try await store.count("open_follow_ups", where: "reason", is: "complaint") == 1)
            try await LogFixture.log(store, LogFixture.interaction(customer.id, .followUp, followUpOf: complaint.id))
            #expect(try await store.rowCount("open_follow_ups") == 0)
        }
    }

    @Test func countsActivityPerUTCDayAndComplaintsApart() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            for kind in [InteractionKind.inquiry, .complaint, .transaction, .note, .marketingContact] {
                if kind == .marketingContact {
                    _ = try await store.appendConsent(customerID: customer.id, [ConsentFixtures.marketingEmail(granted: true)])
                }
                try await LogFixture.log(store, LogFixture.interaction(customer.id, kind, channel: .email))
            }
            try await LogFixture.log(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: 3))
            let today = UTCDay.number(millis: try StoredTime.millis(LogFixture.now))
            let sql = "SELECT contacts * 100 + complaints FROM customer_activity WHERE customer_id = ? AND day = ?"
            // Notes and marketing are not the customer acting.
            #expect(try await store.integer(sql, [customer.id, String(today)]) == 301)
            #expect(try await store.integer(sql, [customer.id, String(today - 3)]) == 100)
            #expect(try await store.rowCount("customer_activity") == 2)
            let activity = try await store.activity(customerID: customer.id, today: CalendarDate(utcDayOf: LogFixture.now))
            #expect(activity.contactsLast90Days == 4)
            #expect(activity.complaintsLast90Days == 1)
            #expect(activity.firstContact == CalendarDate(utcDayOf: LogFixture.now.addingTimeInterval(-3 * LogFixture.day)))
            #expect(activity.lastContact == CalendarDate(utcDayOf: LogFixture.now))
        }
    }

    @Test func countsSurveysInNpsDailyUnderTheSegmentsWhenAnswered() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store, branch: "BR007")
            for score in [10, 9, 8, 3] {
                try await LogFixture.log(store, LogFixture.interaction(customer.id, .surveyResponse, channel: .web, score: score))
            }
            // The customer row after the first log: the segments each later response is grouped by.
            let stored = try #require(try await store.customer(id: customer.id))
            let row = try await store.pool.read { db in
                try String.fetchOne(db, sql: """
                    SELECT group_concat(channel || '/' || branch_id || '/' || value_tier || '/' || lifecycle_stage || '/'
                        || promoters || passives || detractors, ';') FROM nps_daily
                    """)
            }
            let first = "web/BR007/\(customer.segmentation.valueTier.rawValue)/\(customer.segmentation.lifecycleStage.rawValue)/100"
            let later = "web/BR007/\(stored.segmentation.valueTier.rawValue)/\(stored.segmentation.lifecycleStage.rawValue)/111"
            #expect(Set(row?.split(separator: ";").map(String.init) ?? []) == [first, later])
            let snapshots = try await store.integer(
                "SELECT COUNT(*) FROM interactions WHERE segment_branch_id = 'BR007' AND segment_value_tier IS NOT NULL")
            #expect(snapshots == 4)
        }
    }
}
