import Foundation
import GRDB
import RapportDomain

extension SQLiteCustomerStore {
    /// The most open follow-ups an overview lists.
    static let overviewFollowUpLimit = 100
    /// The most recent interactions an overview lists.
    static let overviewRecentLimit = 100

    /// The customer-360 view's share of the log, read in one transaction so its parts agree:
    /// the newest `recent` (clamped to 0...100) interactions, up to 100 open follow-ups earliest
    /// due first, the latest survey response and the activity summary as of `today`.
    public func activityOverview(customerID: String, recent: Int, today: CalendarDate) async throws -> ActivityOverview {
        try await mappingErrors {
            let recentLimit = min(max(recent, 0), Self.overviewRecentLimit)
            let recentRead = try InteractionReadStatement.customerPage(
                customerID: customerID, filter: InteractionFilter(), after: nil, limit: recentLimit)
            // One sparse kind: served by interactions_by_customer_sparse_kind, a single seek.
            let surveyRead = try InteractionReadStatement.customerPage(
                customerID: customerID, filter: InteractionFilter(kinds: [.surveyResponse]), after: nil, limit: 1)
            let followUpRead = FollowUpQueueRead(
                filter: FollowUpFilter(customerID: customerID), after: nil, limit: Self.overviewFollowUpLimit)
            return try await asyncRead { db in
                try Self.requireKnownCustomer(db, id: customerID)
                let recentInteractions =
                    recentLimit == 0
                    ? [] : try InteractionRecord.fetchAll(db, sql: recentRead.sql, arguments: recentRead.arguments)
                return ActivityOverview(
                    recentInteractions: recentInteractions,
                    openFollowUps: try followUpRead.fetchAll(db),
                    latestSurvey: try InteractionRecord.fetchAll(db, sql: surveyRead.sql, arguments: surveyRead.arguments).first,
                    activity: try CustomerActivity.summary(db, customerID: customerID, today: today),
                    firstContactAt: try Self.contactAt(db, customerID: customerID, latest: false),
                    lastContactAt: try Self.contactAt(db, customerID: customerID, latest: true))
            }
        }
    }

    /// When the customer's first (or latest) interaction occurred: one seek on interactions_by_customer_time.
    private static func contactAt(_ db: Database, customerID: String, latest: Bool) throws -> Date? {
        let sql = latest
            ? "SELECT occurred_at FROM interactions WHERE customer_id = ? ORDER BY occurred_at DESC LIMIT 1"
            : "SELECT occurred_at FROM interactions WHERE customer_id = ? ORDER BY occurred_at LIMIT 1"
        return try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: [customerID]).map(StoredTime.date)
    }
}
