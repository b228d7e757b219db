import Foundation
import GRDB
import RapportDomain
@testable import RapportStore

/// A store with a varied history for the consistency check: a catalog, customers with holdings,
/// interactions of every kind (surveys of each NPS category, complaints, follow-ups that close
/// items and items left open), offers with every outcome (an accepted one adding a holding,
/// some with reasons), a batch, marketing consent, and an erased customer.
enum ConsistencyFixture {
    static let catalog = ["CARD", "CURRENT", "LOAN", "SAVINGS"]

    /// Builds the history; returns the id of a customer who is still stored.
    @discardableResult
    static func seed(_ store: SQLiteCustomerStore) async throws -> String {
        try await store.installCatalog(catalog)
        let active = try await OfferFixture.consentingCustomer(store)
        try await history(store, of: active.id, channel: .branch)

        let other = try await LogFixture.customer(store, branch: "BR002")
        try await LogFixture.log(store, LogFixture.interaction(other.id, .complaint, channel: .phone, daysAgo: 2))
        try await LogFixture.log(store, LogFixture.interaction(other.id, .surveyResponse, channel: .web, daysAgo: 1, score: 2))
        try await LogFixture.log(store, LogFixture.interaction(other.id, .inquiry, daysAgo: 400))
        _ = try await store.logBatch(
            (0..<6).map {
                NewInteraction(
                    interaction: LogFixture.interaction(other.id, .transaction, channel: .mobileApp, daysAgo: Double($0) / 3),
                    requestID: nil)
            },
            context: LogFixture.context())

        var holder = makeCustomer(name: "Holder Of Many", branch: "BR003", now: LogFixture.now)
        holder.profile.dateOfBirth = nil
        holder.profile.products = [
            ProductHolding(productCode: "CURRENT", openedOn: CalendarDate(year: 2019, month: 3, day: 1)),
            ProductHolding(productCode: "SAVINGS", openedOn: CalendarDate(year: 2021, month: 7, day: 9)),
            ProductHolding(productCode: "LOAN", openedOn: nil),
            ProductHolding(productCode: "OFFCATALOG", openedOn: CalendarDate(year: 2022, month: 1, day: 1)),
        ]
        let stored = try await store.create(holder, requestID: "create-holder").customer
        try await LogFixture.log(store, LogFixture.interaction(stored.id, .surveyResponse, channel: .email, daysAgo: 3, score: 7))

        let erased = try await OfferFixture.consentingCustomer(store)
        try await history(store, of: erased.id, channel: .web)
        try await store.delete(id: erased.id, expectedEtag: nil)
        return active.id
    }

    /// Every kind for one customer (who has consented to marketing), over several days.
    private static func history(_ store: SQLiteCustomerStore, of customerID: String, channel: Channel) async throws {
        for (index, kind) in [InteractionKind.inquiry, .transaction, .serviceRequest, .note, .marketingContact].enumerated() {
            // Consent was given for email marketing.
            let on = kind == .marketingContact ? Channel.email : channel
            try await LogFixture.log(store, LogFixture.interaction(customerID, kind, channel: on, daysAgo: Double(index) * 0.7))
        }
        for (index, score) in [10, 9, 8, 7, 3, 0].enumerated() {
            try await LogFixture.log(
                store, LogFixture.interaction(customerID, .surveyResponse, channel: channel, daysAgo: Double(index), score: score))
        }
        let complaint = try await LogFixture.logged(store, LogFixture.interaction(customerID, .complaint, channel: channel, daysAgo: 5))
        try await LogFixture.log(store, LogFixture.interaction(customerID, .followUp, channel: channel, daysAgo: 4, followUpOf: complaint.id))
        try await LogFixture.log(store, LogFixture.interaction(customerID, .complaint, channel: channel, daysAgo: 1))
        try await OfferFixture.log(store, OfferFixture.entry(customerID, .presented, product: "CARD", reasons: ["R1", "R2"], daysAgo: 2))
        try await OfferFixture.log(store, OfferFixture.entry(customerID, .accepted, product: "CARD", reasons: ["R1"], daysAgo: 1))
        try await OfferFixture.log(store, OfferFixture.entry(customerID, .declined, product: "LOAN", reasons: ["R3"], daysAgo: 1))
        try await OfferFixture.log(store, OfferFixture.entry(customerID, .ignored, product: "SAVINGS", daysAgo: 0.5))
        try await OfferFixture.log(store, OfferFixture.entry(customerID, .presented, product: "SAVINGS", daysAgo: 0.5))
    }

    /// Runs `sql` on the writer, as a crash or a bug that bypassed the store would leave it.
    static func tamper(_ store: SQLiteCustomerStore, _ sql: String) async throws {
        try await store.pool.write { db in
            try db.execute(sql: sql)
            if db.changesCount != 1 { throw TamperMissed(sql: sql, changes: db.changesCount) }
        }
    }

    struct TamperMissed: Error {
        let sql: String
        let changes: Int
    }
}

extension ConsistencyReport {
    /// The checks that found something, as text for a failed expectation.
    var failures: String {
        checks.filter { !$0.isConsistent }.map { "\($0.name): \($0.mismatched) \($0.examples)" }.joined(separator: "\n")
    }
}
