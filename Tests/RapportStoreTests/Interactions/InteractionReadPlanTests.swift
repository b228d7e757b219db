import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

/// Each read is served by its index: no scan of `interactions` (or of the follow-up queue beyond
/// its ordering index), no sort.
@Suite struct InteractionReadPlanTests {
    /// A store with rows and statistics, so the planner cannot be right only on an empty table:
    /// 6 customers of 400 interactions each even make skip-scans of the customer indexes look cheap.
    static func withAnalyzedStore(_ body: (SQLiteCustomerStore) async throws -> Void) async throws {
        try await withStore(synchronous: .normal) { store in
            _ = try await InteractionExportTests.population(store)
            try await store.pool.write { try $0.execute(sql: "ANALYZE") }
            try await body(store)
        }
    }

    static func plan(_ store: SQLiteCustomerStore, _ sql: String, _ arguments: StatementArguments) async throws -> String {
        try await store.queryPlan(sql: sql, arguments: arguments).joined(separator: "\n")
    }

    static let time = ReadFixture.time(600_000)
    static let listCases: [(InteractionFilter, String)] = [
        (InteractionFilter(), "interactions_by_customer_time"),
        (InteractionFilter(kinds: [.complaint]), "interactions_by_customer_sparse_kind"),
        (InteractionFilter(kinds: [.surveyResponse]), "interactions_by_customer_sparse_kind"),
        // High-volume kinds are not in the kind index: the time index holds the kind.
        (InteractionFilter(kinds: [.transaction]), "interactions_by_customer_time"),
        (InteractionFilter(occurredFrom: time, kinds: [.inquiry]), "interactions_by_customer_time"),
        (InteractionFilter(kinds: [.complaint, .inquiry]), "interactions_by_customer_time"),
        (InteractionFilter(channels: [.atm, .web]), "interactions_by_customer_time"),
        (InteractionFilter(occurredFrom: time, occurredBefore: time.addingTimeInterval(60)), "interactions_by_customer_time"),
        (InteractionFilter(occurredFrom: time, channels: [.chat], kinds: [.surveyResponse]), "interactions_by_customer_sparse_kind"),
    ]

    @Test(arguments: listCases)
    func listPagesWalkOneCustomerIndexRange(_ filter: InteractionFilter, _ index: String) async throws {
        try await Self.withAnalyzedStore { store in
            for cursor in [nil, InteractionCursor(occurredAtMillis: 1_741_565_000_000, id: "int_00000500")] {
                let statement = try InteractionReadStatement.customerPage(customerID: "cus_1", filter: filter, after: cursor, limit: 51)
                let plan = try await Self.plan(store, statement.sql, statement.arguments)
                #expect(plan.hasPrefix("SEARCH interactions USING INDEX \(index) (customer_id=?"), "\(plan)")
                #expect(!plan.contains("\n"), "one index, nothing else:\n\(plan)")
                #expect(!plan.contains("TEMP B-TREE"), "no sort:\n\(plan)")
                if cursor != nil {
                    #expect(plan.contains("(occurred_at,id)<(?,?)"), "the cursor bounds the range:\n\(plan)")
                }
            }
        }
    }

    @Test(arguments: InteractionExportTests.filters)
    func exportChunksWalkThePrimaryKey(_ filter: InteractionFilter) async throws {
        try await Self.withAnalyzedStore { store in
            let statement = try InteractionReadStatement.exportChunk(filter: filter, afterID: "int_00000100", limit: 1000)
            let plan = try await Self.plan(store, statement.sql, statement.arguments)
            #expect(plan == "SEARCH interactions USING INDEX sqlite_autoindex_interactions_1 (id>?)", "\(plan)")
        }
    }

    @Test(arguments: [
        (FollowUpFilter(), "open_follow_ups_by_due"),
        (FollowUpFilter(customerID: "cus_1"), "open_follow_ups_by_customer"),
        (FollowUpFilter(branchID: "BR001"), "open_follow_ups_by_branch"),
        (FollowUpFilter(customerID: "cus_1", branchID: "BR001"), "open_follow_ups_by_customer"),
    ])
    func followUpPagesWalkTheirQueueIndex(_ filter: FollowUpFilter, _ index: String) async throws {
        try await Self.withAnalyzedStore { store in
            for cursor in [nil, FollowUpCursor(dueAtMillis: 1_741_651_200_000, interactionID: "int_00000100")] {
                let read = FollowUpQueueRead(filter: filter, after: cursor, limit: 51)
                let plan = try await Self.plan(store, read.sql, read.arguments).split(separator: "\n")
                #expect(plan.count == 2, "\(plan)")
                let queue = plan.first.map(String.init) ?? ""
                // Unfiltered first page: the whole ordering index is the range, read until the limit.
                let expectedQueue = filter == FollowUpFilter() && cursor == nil ? "SCAN f USING INDEX \(index)" : "SEARCH f USING INDEX \(index) ("
                #expect(queue.hasPrefix(expectedQueue), "\(plan)")
                #expect(plan.last == "SEARCH i USING INDEX sqlite_autoindex_interactions_1 (id=?)", "\(plan)")
            }
        }
    }

    @Test(arguments: NpsReportTests.groupings)
    func npsReadsDailyRowsByDayAndEdgesThroughTheSurveyIndex(_ groupBy: NpsDimension?) async throws {
        try await Self.withAnalyzedStore { store in
            let query = NpsReportQuery(fromMillis: 1_741_564_800_001, beforeMillis: 1_741_824_000_001, groupBy: groupBy)
            #expect(query.wholeDays.count == 2)
            #expect(query.edges.count == 2)
            let daily = try await Self.plan(store, query.dailySQL, [20_157, 20_159])
            #expect(daily.hasPrefix("SEARCH nps_daily USING PRIMARY KEY (day>? AND day<?)"), "\(daily)")
            let edge = try await Self.plan(store, query.edgeSQL, [1_741_564_800_001, 1_741_651_200_000])
            // Both sources by time: the log, and the surveys of erased customers kept for NPS.
            #expect(edge.contains("SEARCH interactions USING INDEX interactions_surveys_by_time (occurred_at>? AND occurred_at<?)"), "\(edge)")
            #expect(
                edge.contains("SEARCH erased_survey_responses USING INDEX erased_survey_responses_by_time (occurred_at>? AND occurred_at<?)"),
                "\(edge)")
            // The only scan is of the union's own rows, never of a table.
            #expect(!edge.contains("SCAN interactions") && !edge.contains("SCAN erased_survey_responses"), "\(edge)")
        }
    }
}
