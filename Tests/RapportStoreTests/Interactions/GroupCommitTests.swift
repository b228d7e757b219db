import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct GroupCommitTests {
    /// 200 concurrent calls, every 20th refused: each caller gets its own outcome, the good ones
    /// are all stored, and they took fewer transactions than calls.
    @Test func concurrentLogsCommitTogetherAndFailAlone() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let calls = 200
            let results = await withTaskGroup(of: (Int, Result<LogOutcome, StoreError>).self) { group in
                for index in 0..<calls {
                    group.addTask {
                        let bad = index % 20 == 7
                        let interaction = LogFixture.interaction(bad ? "cus_missing" : customer.id, .inquiry)
                        do {
                            return (index, .success(try await LogFixture.log(store, interaction, requestID: "call-\(index)")))
                        } catch let error as StoreError {
                            return (index, .failure(error))
                        } catch {
                            return (index, .failure(StoreError(.other, "\(error)")))
                        }
                    }
                }
                var results: [Int: Result<LogOutcome, StoreError>] = [:]
                for await (index, result) in group { results[index] = result }
                return results
            }
            #expect(results.count == calls)
            for (index, result) in results {
                switch (index % 20 == 7, result) {
                case (true, .failure(let error)): #expect(error.kind == .notFound)
                case (false, .success(.recorded(let interaction))): #expect(interaction.customerID == customer.id)
                default: Issue.record("call \(index): unexpected \(result)")
                }
            }
            #expect(try await store.rowCount("interactions") == 190)
            #expect(try await store.rowCount("interaction_requests") == 190)
            #expect(try await store.integer("SELECT SUM(contacts) FROM customer_activity") == 190)
            #expect(store.logGroupCount < calls)
        }
    }

    @Test func aRepeatedRequestIDInConcurrentCallsIsRecordedOnce() async throws {
        try await withStore { store in
            let customer = try await LogFixture.customer(store)
            let interactions = (0..<8).map { _ in LogFixture.interaction(customer.id, .inquiry) }
            let outcomes = try await withThrowingTaskGroup(of: LogOutcome.self) { group in
                for interaction in interactions {
                    group.addTask { try await LogFixture.log(store, interaction, requestID: "same") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let recorded = outcomes.filter { if case .recorded = $0 { true } else { false } }
            #expect(recorded.count == 1)
            #expect(Set(outcomes.map(\.interaction)).count == 1)
            #expect(try await store.rowCount("interactions") == 1)
        }
    }

    /// Calls queued on a closed store fail (the queue has no task of its own to leak or hang).
    @Test func callsAfterCloseFailWithoutHanging() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        let customer = try await LogFixture.customer(store)
        try store.close()
        let errors = await withTaskGroup(of: StoreError?.self) { group in
            for _ in 0..<20 {
                group.addTask { await storeError { _ = try await LogFixture.log(store, LogFixture.interaction(customer.id)) } }
            }
            return await group.reduce(into: [StoreError?]()) { $0.append($1) }
        }
        #expect(errors.count == 20)
        #expect(errors.allSatisfy { $0 != nil })
    }

    /// A lock held elsewhere beyond the busy timeout fails every call of the group with `.busy`.
    @Test func aLockHeldElsewhereFailsTheGroupAsBusy() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let store = try SQLiteCustomerStore(
            configuration: StoreConfiguration(dataDirectory: temporary.path, busyTimeout: .milliseconds(100)))
        defer { try? store.close() }
        let customer = try await LogFixture.customer(store)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let intruder = try DatabaseQueue(path: store.directory.filePath(StoreConfiguration.databaseFileName), configuration: configuration)
        try intruder.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let errors = await withTaskGroup(of: StoreError?.self) { group in
            for _ in 0..<5 {
                group.addTask { await storeError { _ = try await LogFixture.log(store, LogFixture.interaction(customer.id)) } }
            }
            return await group.reduce(into: [StoreError?]()) { $0.append($1) }
        }
        #expect(errors.map { $0?.kind } == Array(repeating: .busy, count: 5))
        try intruder.inDatabase { try $0.execute(sql: "ROLLBACK") }
        try intruder.close()
        try await LogFixture.log(store, LogFixture.interaction(customer.id))
        #expect(try await store.rowCount("interactions") == 1)
    }
}
