import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct LifecycleFromActivityTests {
    /// Six contacts 100–120 days ago and none since: contacts fell 100 % (≥ 50 %, with ≥ 4 before).
    @Test func fallingActivitySwitchesToDeclineWithoutTouchingTheEtag() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            try await LogFixture.log(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: 120))
            let settled = try #require(try await store.customer(id: customer.id))
            #expect(settled.segmentation.lifecycleStage == .growth)
            for daysAgo in [100.0, 105, 110, 115, 118] {
                try await LogFixture.log(store, LogFixture.interaction(customer.id, .transaction, daysAgo: daysAgo))
            }
            let declined = try #require(try await store.customer(id: customer.id))
            #expect(declined.segmentation.lifecycleStage == .decline)
            #expect(declined.segmentation.lifecycleReasons.contains { $0.contains("contacts fell") })
            #expect(declined.etag == customer.etag)
            #expect(declined.updatedAt == customer.updatedAt)
            #expect(try await store.count("customers", where: "lifecycle_stage", is: "decline") == 1)

            // Recent contacts bring it back: 6 before, 4 now is a 33 % fall.
            for daysAgo in [1.0, 2, 3, 4] {
                try await LogFixture.log(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: daysAgo))
            }
            let recovered = try #require(try await store.customer(id: customer.id))
            #expect(recovered.segmentation.lifecycleStage == .growth)
            #expect(recovered.etag == customer.etag)
        }
    }

    @Test func anUpdateSeesTheCurrentActivity() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            for daysAgo in [1.0, 100, 170, 200] {
                try await LogFixture.log(store, LogFixture.interaction(customer.id, .inquiry, daysAgo: daysAgo))
            }
            try await LogFixture.log(store, LogFixture.interaction(customer.id, .complaint, daysAgo: 2))
            let today = CalendarDate(utcDayOf: LogFixture.now)
            let seen = try await store.update(id: customer.id, expectedEtag: nil, today: today) { customer, activity in
                customer.profile.occupation = "\(activity.contactsLast90Days)/\(activity.contactsPrevious90Days)/\(activity.complaintsLast90Days)"
            }
            #expect(seen.profile.occupation == "2/2/1")
            let expected = ActivitySummary(
                contactsLast90Days: 2, contactsPrevious90Days: 2, complaintsLast90Days: 1,
                firstContact: CalendarDate(utcDayOf: LogFixture.now.addingTimeInterval(-200 * LogFixture.day)),
                lastContact: today.adding(days: -1))
            #expect(try await store.activity(customerID: customer.id, today: today) == expected)
            let missing = await storeError { _ = try await store.activity(customerID: "cus_missing", today: today) }
            #expect(missing?.kind == .notFound)
        }
    }
}
