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
            // One kind: served by interactions_by_customer_kind, a single seek.
            let surveyRead = try InteractionReadStatement.customerPage(
                customerID: customerID, filter: InteractionFilter(kinds: [.surveyResponse]), after: nil, limit: 1)
            let followUpRead = FollowUpQueueRead(
                filter: FollowUpFilter(customerID: customerID), after: nil, limit: Self.overviewFollowUpLimit)
            return try await pool.read { db in
                try Self.requireKnownCustomer(db, id: customerID)
                let recentInteractions =
                    recentLimit == 0
                    ? [] : try InteractionRecord.fetchAll(db, sql: recentRead.sql, arguments: recentRead.arguments)
                return ActivityOverview(
                    recentInteractions: recentInteractions,
                    openFollowUps: try followUpRead.fetchAll(db),
                    latestSurvey: try InteractionRecord.fetchAll(db, sql: surveyRead.sql, arguments: surveyRead.arguments).first,
                    activity: try CustomerActivity.summary(db, customerID: customerID, today: today))
            }
        }
    }
}
