import GRDB
import RapportDomain

/// How an NPS report over `from..<before` is read: whole UTC days from `nps_daily`, the partial
/// days at either edge from the survey rows themselves.
///
/// The cost is the number of `nps_daily` rows in the range (at most one per day and dimension
/// combination that had responses) plus the survey rows of at most two partial days, found through
/// the partial index `interactions_surveys_by_time`; the size of the log does not matter.
struct NpsReportQuery {
    static let millisPerDay: Int64 = 86_400_000

    /// Days since 1970 read from `nps_daily`; empty when the range holds no whole day.
    let wholeDays: Range<Int64>
    /// Millisecond ranges read from survey rows.
    let edges: [Range<Int64>]
    let groupBy: NpsDimension?

    init(fromMillis from: Int64, beforeMillis before: Int64, groupBy: NpsDimension?) {
        self.groupBy = groupBy
        // The first day starting at or after `from`, and the day `before` falls in (exclusive).
        let firstDay = UTCDay.number(millis: from + Self.millisPerDay - 1)
        let endDay = UTCDay.number(millis: before)
        if from < before, firstDay < endDay {
            wholeDays = firstDay..<endDay
            edges = [from..<firstDay * Self.millisPerDay, endDay * Self.millisPerDay..<before].filter { !$0.isEmpty }
        } else {
            wholeDays = 0..<0
            edges = from < before ? [from..<before] : []
        }
    }

    /// The whole-day statement: sums of `nps_daily` per group key.
    var dailySQL: String {
        """
        SELECT \(groupBy?.dailyColumn ?? "''"), SUM(promoters), SUM(passives), SUM(detractors)
        FROM nps_daily WHERE day >= ? AND day < ?\(groupClause)
        """
    }

    /// The edge statement: survey rows counted per category and group key. `kind` is a literal
    /// so that SQLite can prove the partial index applies.
    var edgeSQL: String {
        """
        SELECT key, SUM(nps_score >= 9), SUM(nps_score BETWEEN 7 AND 8), SUM(nps_score BETWEEN 0 AND 6) FROM (
            SELECT \(keyColumn) AS key, nps_score FROM interactions
                WHERE kind = 'surveyResponse' AND occurred_at >= ?1 AND occurred_at < ?2
            UNION ALL
            SELECT \(keyColumn) AS key, nps_score FROM erased_survey_responses
                WHERE occurred_at >= ?1 AND occurred_at < ?2
        )\(groupClause)
        """
    }

    /// The group key of a survey row: its dimension column, or one group. Erased customers'
    /// responses (`erased_survey_responses`) count as they did before the erasure.
    private var keyColumn: String {
        groupBy.map { "COALESCE(\($0.surveyColumn), '')" } ?? "''"
    }

    /// Overall figures need no GROUP BY, which would sort every row read (about half the cost
    /// over a long range).
    private var groupClause: String { groupBy == nil ? "" : " GROUP BY 1" }

    /// Runs the statements and merges their tallies: overall, and per key ordered by key.
    func run(_ db: Database) throws -> NpsReport {
        var tallies: [String: NpsTally] = [:]
        func add(sql: String, _ range: Range<Int64>) throws {
            let rows = try Row.fetchCursor(db, sql: sql, arguments: [range.lowerBound, range.upperBound])
            while let row = try rows.next() {
                // Ungrouped, SUM over no rows is NULL; a NULL key (a survey row without its snapshot) is "".
                let key: String = row[0] ?? ""
                let promoters: Int = row[1] ?? 0, passives: Int = row[2] ?? 0, detractors: Int = row[3] ?? 0
                tallies[key] = (tallies[key] ?? NpsTally()) + NpsTally(promoters: promoters, passives: passives, detractors: detractors)
            }
        }
        if !wholeDays.isEmpty {
            try add(sql: dailySQL, wholeDays)
        }
        for edge in edges {
            try add(sql: edgeSQL, edge)
        }
        let overall = tallies.values.reduce(NpsTally(), +)
        guard groupBy != nil else { return NpsReport(overall: overall, groups: []) }
        let groups = tallies.filter { $0.value.responses > 0 }.sorted { $0.key < $1.key }
        return NpsReport(overall: overall, groups: groups.map { (key: $0.key, tally: $0.value) })
    }
}

extension NpsDimension {
    /// The `nps_daily` column holding the dimension.
    var dailyColumn: String {
        switch self {
        case .valueTier: "value_tier"
        case .lifecycleStage: "lifecycle_stage"
        case .channel: "channel"
        case .branch: "branch_id"
        }
    }

    /// The `interactions` column holding the dimension as it was when the customer responded.
    var surveyColumn: String {
        switch self {
        case .valueTier: "segment_value_tier"
        case .lifecycleStage: "segment_lifecycle_stage"
        case .channel: "channel"
        case .branch: "segment_branch_id"
        }
    }
}
