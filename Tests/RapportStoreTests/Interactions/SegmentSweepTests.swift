import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct SegmentSweepTests {
    /// Contacts 20–40 days ago and none since: growth then; 120 days on, nobody has written for
    /// the customer, and only a sweep can see that contacts fell to nothing.
    @Test func aSweepMarksTheCustomerWhoWentQuietAsDecliningInSteps() async throws {
        try await withStore { store in
            let quiet = try await LogFixture.customer(store)
            let others = [try await LogFixture.customer(store), try await LogFixture.customer(store)]
            for daysAgo in [20.0, 25, 30, 35, 40] {
                try await LogFixture.log(store, LogFixture.interaction(quiet.id, .transaction, daysAgo: daysAgo))
            }
            let before = try #require(try await store.customer(id: quiet.id))
            #expect(before.segmentation.lifecycleStage == .growth)

            let later = CalendarDate(utcDayOf: LogFixture.now).adding(days: 120)
            let segmenter = Segmenter(policy: .defaults)
            var cursor: SegmentSweepCursor?
            var examined = 0
            var changed = 0
            var steps = 0
            repeat {
                let step = try await store.resegmentStep(after: cursor, limit: 2, today: later, segmenter: segmenter)
                examined += step.examined
                changed += step.changed
                cursor = step.next
                steps += 1
            } while cursor != nil && steps < 10
            #expect(examined == 3 && steps == 2)
            // Every customer's reasons state their tenure in days, so 120 days on all three change.
            #expect(changed == 3)
            let after = try #require(try await store.customer(id: quiet.id))
            #expect(after.segmentation.lifecycleStage == .decline)
            #expect(after.segmentation.lifecycleReasons.contains { $0.contains("contacts fell") })
            #expect(after.etag == before.etag && after.updatedAt == before.updatedAt)
            for other in others {
                let swept = try await store.customer(id: other.id)
                #expect(swept?.segmentation.lifecycleStage == other.segmentation.lifecycleStage)
                #expect(swept?.segmentation.lifecycleReasons != other.segmentation.lifecycleReasons)
            }
            // Nothing left to change: a second sweep writes nothing.
            let again = try await store.resegmentStep(after: nil, limit: 10, today: later, segmenter: segmenter)
            #expect(again.examined == 3 && again.changed == 0 && again.next == nil)
        }
    }

    @Test func theSweptDayIsRemembered() async throws {
        try await withStore { store in
            #expect(try await store.lastSweptDay() == nil)
            let day = CalendarDate(year: 2026, month: 11, day: 23)
            try await store.recordSweep(of: day, at: LogFixture.now)
            try await store.recordSweep(of: day.adding(days: 1), at: LogFixture.now)
            #expect(try await store.lastSweptDay() == day.adding(days: 1))
        }
    }
}
