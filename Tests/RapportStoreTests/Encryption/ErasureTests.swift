import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct ErasureTests {
    /// Erasure destroys the data key: a backup taken before it, the file and its log, opened with
    /// the master key and the key database, no longer give the customer's values, while another
    /// customer's values still open from the same backup (so the check can find what is readable).
    @Test func erasureMakesEveryCopyUnreadable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration(dataDirectory: directory.path)
        let master = MasterKey.random()
        configuration.masterKey = .key(master)
        let store = try SQLiteCustomerStore(configuration: configuration)
        let erased = try await store.create(PersonalDataScan.distinctCustomer(), requestID: "req-erased").customer
        let kept = try await store.create(PersonalDataScan.distinctCustomer(), requestID: "req-kept").customer
        var survey = LogFixture.interaction(erased.id, .surveyResponse, score: 3)
        survey.summary = "Erased customer's complaint about Pemberton \(UUID().uuidString.prefix(6))"
        try await LogFixture.logged(store, survey)
        let backup = (directory.path as NSString).appendingPathComponent("before-erasure.sqlite")
        try await store.pool.vacuum(into: backup)

        let receipt = try await store.delete(id: erased.id, expectedEtag: nil)
        #expect(receipt.id.hasPrefix("era_"))
        #expect(receipt.customerID == erased.id)
        #expect(receipt.kept.first { $0.kind == "survey_responses" }?.count == 1)
        #expect(try await store.customer(id: erased.id) == nil)
        let livePath = (directory.path as NSString).appendingPathComponent("rapport.sqlite")
        try store.close()

        let keys = try DatabaseQueue(path: (directory.path as NSString).appendingPathComponent("keys.sqlite"))
        defer { try? keys.close() }
        for path in [backup, livePath] {
            let copy = try DatabaseQueue(path: path)
            defer { try? copy.close() }
            #expect(try Self.readableProfile(of: kept.id, in: copy, keys: keys, master: master)?.fullName == kept.profile.fullName)
            #expect(try Self.readableProfile(of: erased.id, in: copy, keys: keys, master: master) == nil)
        }
        #expect(PersonalDataScan.found(PersonalDataScan.values(of: erased) + [survey.summary],
                                       in: PersonalDataScan.storeFiles(directory.path) + [backup]) == [])
    }

    /// Replaying the create of an erased customer is refused, naming the erasure; another request
    /// id creates a new customer as usual.
    @Test func replayedCreateOfAnErasedCustomerIsRefused() async throws {
        try await withStore { store in
            let customer = PersonalDataScan.distinctCustomer()
            _ = try await store.create(customer, requestID: "req-forget-me")
            let receipt = try await store.delete(id: customer.id, expectedEtag: nil)
            var again = customer
            again.id = SQLiteCustomerStore.newCustomerID()
            let replay = await storeError { _ = try await store.create(again, requestID: "req-forget-me") }
            #expect(replay?.kind == .preconditionFailed)
            #expect(replay?.message.contains(receipt.id) == true)
            #expect(try await store.rowCount("customers") == 0)
            let fresh = try await store.create(again, requestID: "req-new")
            #expect(fresh.customer.id == again.id)
        }
    }

    /// NPS reports over any range are the same before and after an erasure: the erased
    /// customer's responses stay as anonymised facts, without customer id or text.
    @Test func npsReportsSurviveErasure() async throws {
        try await withStore { store in
            let erased = try await LogFixture.customer(store)
            let other = try await LogFixture.customer(store)
            for (customer, score, daysAgo) in [(erased.id, 2, 0.1), (erased.id, 10, 3.0), (other.id, 9, 0.2)] {
                try await LogFixture.logged(store, LogFixture.interaction(customer, .surveyResponse, daysAgo: daysAgo, score: score))
            }
            let ranges = [
                (LogFixture.now.addingTimeInterval(-LogFixture.day / 2), LogFixture.now.addingTimeInterval(1)),
                (LogFixture.now.addingTimeInterval(-10 * LogFixture.day), LogFixture.now.addingTimeInterval(1)),
            ]
            var before: [NpsReport] = []
            for (from, to) in ranges {
                before.append(try await store.npsReport(from: from, before: to, groupBy: .channel))
            }
            try await store.delete(id: erased.id, expectedEtag: nil)
            for (index, (from, to)) in ranges.enumerated() {
                #expect(try await store.npsReport(from: from, before: to, groupBy: .channel) == before[index])
            }
            #expect(try await store.rowCount("erased_survey_responses") == 2)
            let columns = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('erased_survey_responses')")
            }
            #expect(!columns.contains("customer_id") && !columns.contains("summary"))
        }
    }

    /// The profile sealed in `database` for `customerID`, opened with its key from `keys` — the
    /// way an attacker holding the master key would read a copy — or nil when it cannot be opened.
    static func readableProfile(
        of customerID: String, in database: DatabaseQueue, keys: DatabaseQueue, master: MasterKey
    ) throws -> CustomerProfile? {
        guard let sealed = try database.read({ db in
            try Data.fetchOne(db, sql: "SELECT profile FROM customers WHERE id = ?", arguments: [customerID])
        }) else { return nil }
        guard let wrapped = try keys.read({ db in
            try Data.fetchOne(db, sql: "SELECT wrapped FROM customer_keys WHERE customer_id = ?", arguments: [customerID])
        }) else { return nil }
        let key = try Keyring.unwrap(wrapped, under: master)
        return try CustomerColumns.openProfile(sealed, id: customerID, key: key)
    }
}
