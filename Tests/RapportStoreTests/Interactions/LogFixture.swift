import Foundation
import GRDB
import RapportDomain
@testable import RapportStore

/// Test support for the write path: a fixed clock, interactions of every kind, stored customers
/// and counts of the derived tables.
enum LogFixture {
    /// 2025-06-15T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_749_988_800)
    static let day: TimeInterval = 86_400

    /// A context on the fixed clock with a 24-hour SLA and the default segmentation policy.
    static func context(now: Date = now) -> LogContext {
        LogContext(now: now, followUpSLA: day, segmenter: Segmenter(policy: .defaults))
    }

    /// An interaction with what its kind needs, `daysAgo` days before `now`, with a fresh id
    /// (which `log` replaces with the store's; `importInteractions` keeps it).
    static func interaction(
        _ customer: String, _ kind: InteractionKind = .inquiry, channel: Channel = .branch, daysAgo: Double = 0,
        score: Int = 10, followUpOf: String? = nil
    ) -> Interaction {
        let at = now.addingTimeInterval(-daysAgo * day)
        return Interaction(
            id: "int_" + SortableIDGenerator.shared.next(now: Date()), customerID: customer, channel: channel, kind: kind,
            occurredAt: at, recordedAt: now, employeeID: "E1", productCode: kind == .offerPresented ? "CARD" : "",
            summary: "a \(kind.rawValue)",
            survey: kind == .surveyResponse ? SurveyResponse(npsScore: score, reason: "because") : nil,
            complaint: kind == .complaint ? ComplaintDetails(category: .waitingTime, severity: .high) : nil,
            followUpOf: followUpOf)
    }

    /// Logs one interaction without a request id and returns it as recorded.
    @discardableResult
    static func log(_ store: SQLiteCustomerStore, _ interaction: Interaction, requestID: String? = nil) async throws -> LogOutcome {
        try await store.log(NewInteraction(interaction: interaction, requestID: requestID), context: context())
    }

    /// Logs one interaction and returns it as stored (with the id the store assigned).
    @discardableResult
    static func logged(_ store: SQLiteCustomerStore, _ interaction: Interaction, requestID: String? = nil) async throws -> Interaction {
        try await log(store, interaction, requestID: requestID).interaction
    }

    /// A stored customer (branch BR001, one current account since 2020: growth, as of `now`).
    static func customer(_ store: SQLiteCustomerStore, branch: String = "BR001") async throws -> Customer {
        try await store.create(makeCustomer(branch: branch, now: now), requestID: nil).customer
    }
}

extension SQLiteCustomerStore {
    /// One integer a query returns (0 for none).
    func integer(_ sql: String, _ arguments: [String] = []) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
        }
    }

    /// The rows of a table, for checks on whole tables.
    func rowCount(_ table: String) async throws -> Int {
        try await integer("SELECT COUNT(*) FROM \(table)")
    }
}
