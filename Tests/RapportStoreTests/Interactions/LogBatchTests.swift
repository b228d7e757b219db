import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct LogBatchTests {
    @Test func oneBadItemAmongTenWritesNothingAndEveryBadItemIsListed() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            var entries = (0..<10).map { index in
                NewInteraction(
                    interaction: LogFixture.interaction(customer.id, index % 2 == 0 ? .complaint : .surveyResponse, score: 2),
                    requestID: "batch-\(index)")
            }
            entries[3].interaction.customerID = "cus_missing"
            entries[6].interaction = LogFixture.interaction(customer.id, .marketingContact, channel: .sms)
            entries[8].interaction = LogFixture.interaction(customer.id, .followUp, followUpOf: "int_missing")
            let error = await storeError { _ = try await store.logBatch(entries, context: LogFixture.context()) }
            guard case .batchRejected(let failures) = error?.kind else {
                Issue.record("expected .batchRejected, got \(String(describing: error))")
                return
            }
            #expect(failures.map(\.index) == [3, 6, 8])
            #expect(failures.map(\.kind) == [.notFound, .preconditionFailed, .invalidReference(field: "interaction.follow_up_of")])
            #expect(failures.allSatisfy { !$0.message.isEmpty })
            for table in ["interactions", "interaction_requests", "open_follow_ups", "customer_activity", "nps_daily"] {
                #expect(try await store.rowCount(table) == 0, "\(table)")
            }
            #expect(try await store.customer(id: customer.id) == customer)
        }
    }

    @Test func writesAllInOrderAndReplaysRepeatsWithinTheBatch() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let entries = [
                NewInteraction(interaction: LogFixture.interaction(customer.id, .complaint, daysAgo: 1), requestID: "a"),
                // The same contact sent twice in one batch: the second replays the first.
                NewInteraction(interaction: LogFixture.interaction(customer.id, .complaint, daysAgo: 1), requestID: "a"),
                NewInteraction(interaction: LogFixture.interaction(customer.id, .inquiry), requestID: nil),
            ]
            let outcomes = try await store.logBatch(entries, context: LogFixture.context())
            guard case .recorded(let complaint) = outcomes.first, case .recorded(let inquiry) = outcomes.last else {
                Issue.record("expected the first and last items recorded: \(outcomes)")
                return
            }
            #expect(outcomes == [.recorded(complaint), .replayed(complaint), .recorded(inquiry)])
            #expect(complaint.id < inquiry.id, "ids follow the batch order")
            #expect(try await store.rowCount("interactions") == 2)
            #expect(try await store.rowCount("open_follow_ups") == 1)
            #expect(try await store.integer("SELECT SUM(contacts) FROM customer_activity") == 2)
            // A retry of the whole batch records nothing more.
            let retried = try await store.logBatch(Array(entries.prefix(2)), context: LogFixture.context())
            #expect(retried == [.replayed(complaint), .replayed(complaint)])
            #expect(try await store.rowCount("interactions") == 2)
            // A later batch answers the complaint.
            _ = try await store.logBatch(
                [NewInteraction(interaction: LogFixture.interaction(customer.id, .followUp, followUpOf: complaint.id), requestID: nil)],
                context: LogFixture.context())
            #expect(try await store.rowCount("open_follow_ups") == 0)
        }
    }
}
