import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct InteractionImportTests {
    @Test func importMaintainsEveryDerivedTableAndResegmentsOnce() async throws {
        try await withStore { store in
            let ada = try await LogFixture.customer(store, branch: "BR001")
            let bob = try await LogFixture.customer(store, branch: "BR002")
            let complaint = LogFixture.interaction(ada.id, .complaint, daysAgo: 2)
            var history = [complaint, LogFixture.interaction(ada.id, .followUp, daysAgo: 1, followUpOf: complaint.id)]
            // Bob: five contacts 100–120 days ago, none since (decline), and two surveys.
            history += [100.0, 105, 110, 115, 120].map { LogFixture.interaction(bob.id, .transaction, daysAgo: $0) }
            history.append(LogFixture.interaction(bob.id, .surveyResponse, channel: .web, daysAgo: 130, score: 4))
            history.append(LogFixture.interaction(bob.id, .surveyResponse, channel: .web, daysAgo: 130, score: 10))
            // Marketing needs no consent check on import, and does not count as activity.
            history.append(LogFixture.interaction(bob.id, .marketingContact, channel: .sms, daysAgo: 3))
            try await store.importInteractions(history, context: LogFixture.context())

            #expect(try await store.rowCount("interactions") == history.count)
            #expect(try await store.rowCount("interaction_requests") == 0)
            #expect(try await store.count("open_follow_ups", where: "customer_id", is: bob.id) == 1)
            #expect(try await store.count("open_follow_ups", where: "customer_id", is: ada.id) == 0)
            #expect(try await store.integer("SELECT SUM(contacts) FROM customer_activity WHERE customer_id = ?", [ada.id]) == 2)
            #expect(try await store.integer("SELECT SUM(complaints) FROM customer_activity WHERE customer_id = ?", [ada.id]) == 1)
            // The two responses share one day and group: one row, counted together.
            #expect(try await store.integer("SELECT COUNT(*) FROM nps_daily") == 1)
            #expect(try await store.integer("SELECT promoters * 100 + passives * 10 + detractors FROM nps_daily") == 101)
            #expect(try await store.customer(id: bob.id)?.segmentation.lifecycleStage == .decline)
            #expect(try await store.customer(id: bob.id)?.etag == bob.etag)
            #expect(try await store.customer(id: ada.id)?.segmentation.lifecycleStage == .growth)
        }
    }

    @Test func anUnknownCustomerFailsTheImportAndWritesNothing() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let stray = LogFixture.interaction("cus_missing")
            let error = await storeError {
                try await store.importInteractions([LogFixture.interaction(customer.id), stray], context: LogFixture.context())
            }
            #expect(error?.kind == .notFound)
            #expect(error?.message.contains(stray.id) == true)
            #expect(try await store.rowCount("interactions") == 0)
            #expect(try await store.rowCount("customer_activity") == 0)
        }
    }

    @Test func deletingACustomerRemovesTheirLogButKeepsNpsCounts() async throws {
        try await withStore { store in
            let gone = try await LogFixture.customer(store)
            let kept = try await LogFixture.customer(store)
            for customer in [gone, kept] {
                try await LogFixture.log(store, LogFixture.interaction(customer.id, .surveyResponse, score: 3), requestID: "survey-\(customer.id)")
                try await LogFixture.log(store, LogFixture.interaction(customer.id, .complaint), requestID: "complaint-\(customer.id)")
            }
            let npsBefore = try await store.integer("SELECT SUM(promoters + passives + detractors) FROM nps_daily")
            try await store.delete(id: gone.id, expectedEtag: nil)
            for table in ["interactions", "open_follow_ups", "customer_activity"] {
                #expect(try await store.count(table, where: "customer_id", is: gone.id) == 0, "\(table)")
                #expect(try await store.count(table, where: "customer_id", is: kept.id) > 0, "\(table)")
            }
            #expect(try await store.rowCount("interaction_requests") == 2)
            #expect(try await store.integer("SELECT SUM(promoters + passives + detractors) FROM nps_daily") == npsBefore)
            #expect(npsBefore == 2)
        }
    }
}
