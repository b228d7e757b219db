import Foundation
import GRDB
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct NpsReportTests {
    static let dayMillis: Int64 = 86_400_000
    /// Every grouping, and none.
    static let groupings: [NpsDimension?] = [nil] + NpsDimension.allCases.map { $0 }

    /// A survey row as stored: what the brute-force count reads.
    struct SurveyRow {
        var occurredAt: Int64
        var score: Int
        var keys: [NpsDimension: String]
    }

    /// The report by brute force: every stored survey row, counted one by one.
    static func bruteForce(_ rows: [SurveyRow], from: Int64, before: Int64, groupBy: NpsDimension?) -> NpsReport {
        var overall = NpsTally()
        var groups: [String: NpsTally] = [:]
        for row in rows where row.occurredAt >= from && row.occurredAt < before {
            guard let category = NpsCategory(score: row.score) else { continue }
            overall.add(category)
            if let groupBy { groups[row.keys[groupBy] ?? "", default: NpsTally()].add(category) }
        }
        return NpsReport(overall: overall, groups: groups.sorted { $0.key < $1.key }.map { (key: $0.key, tally: $0.value) })
    }

    static func storedSurveys(_ store: SQLiteCustomerStore) async throws -> [SurveyRow] {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT occurred_at, nps_score, segment_value_tier, segment_lifecycle_stage, channel, segment_branch_id
                FROM interactions WHERE kind = 'surveyResponse'
                """).map { row in
                SurveyRow(occurredAt: row[0], score: row[1], keys: [
                    .valueTier: row[2], .lifecycleStage: row[3], .channel: row[4], .branch: row[5],
                ])
            }
        }
    }

    @Test func matchesABruteForceCountOverManyRandomRanges() async throws {
        try await withStore(synchronous: .normal) { store in
            var random = SeededGenerator(seed: 20_250_310)
            let customers = try await ReadFixture.customers(store, count: 7, branches: ["BR001", "BR002", "BR003"])
            let midnight = ReadFixture.time(0).timeIntervalSince1970 * 1000
            let start = Int64(midnight) - Self.dayMillis
            var log: [Interaction] = []
            for index in 0..<1800 {
                // Some rows exactly on a midnight or a millisecond either side of one.
                var offset = Int64.random(in: 0..<(5 * Self.dayMillis), using: &random)
                if index % 10 == 0 { offset = Int64.random(in: 0...5, using: &random) * Self.dayMillis + Int64.random(in: -1...1, using: &random) }
                log.append(ReadFixture.interaction(
                    ReadFixture.id(index), customer: customers.randomElement(using: &random) ?? customers[0],
                    kind: index % 6 == 0 ? .inquiry : .surveyResponse, channel: Channel.allCases.randomElement(using: &random) ?? .web,
                    at: StoredTime.date(start + offset), score: Int.random(in: 0...10, using: &random)))
            }
            try await ReadFixture.load(log, into: store)
            let rows = try await Self.storedSurveys(store)
            #expect(rows.count == 1500)

            let end = start + 5 * Self.dayMillis
            func instant() -> Int64 { Int64.random(in: (start - 1000)...(end + 1000), using: &random) }
            func midnightOf() -> Int64 { start + Int64.random(in: -1...6, using: &random) * Self.dayMillis }
            var ranges: [(Int64, Int64)] = [(start, end), (start - Self.dayMillis, end + Self.dayMillis), (end, start), (start, start)]
            for _ in 0..<60 { ranges.append((instant(), instant())) }
            for _ in 0..<40 { ranges.append((midnightOf(), midnightOf())) }
            for _ in 0..<40 { ranges.append((midnightOf(), instant())) }
            for _ in 0..<40 {
                let from = instant()
                ranges.append((from, from + Int64.random(in: 0..<Self.dayMillis / 2, using: &random)))
            }
            for _ in 0..<20 {
                let from = instant()
                ranges.append((from, from))
            }
            for (from, before) in ranges {
                for groupBy in Self.groupings {
                    let report = try await store.npsReport(from: StoredTime.date(from), before: StoredTime.date(before), groupBy: groupBy)
                    let expected = Self.bruteForce(rows, from: from, before: before, groupBy: groupBy)
                    #expect(report == expected, "range \(from)..<\(before) by \(String(describing: groupBy))")
                }
            }
        }
    }

    @Test func handComputedReport() async throws {
        try await withStore { store in
            let customers = try await ReadFixture.customers(store, count: 2, branches: ["BR001", "BR002"])
            // Customer 0: mass, BR001; customer 1: affluent, BR002 (see ReadFixture.customers).
            let scores = [(0, 10), (0, 9), (0, 8), (0, 6), (1, 0), (1, 7), (1, 10), (1, 3)]
            let log = scores.enumerated().map { index, entry in
                ReadFixture.interaction(
                    ReadFixture.id(index), customer: customers[entry.0], kind: .surveyResponse,
                    channel: index < 4 ? .phone : .web, at: ReadFixture.time(Int64(index) * 3_600_000), score: entry.1)
            }
            try await ReadFixture.load(log, into: store)
            let all = try await store.npsReport(from: ReadFixture.time(0), before: ReadFixture.time(8 * 3_600_000), groupBy: .branch)
            #expect(all.overall == NpsTally(promoters: 3, passives: 2, detractors: 3))
            #expect(all.overall.nps == 0)
            #expect(all.groups.map(\.key) == ["BR001", "BR002"])
            #expect(all.groups.first?.tally == NpsTally(promoters: 2, passives: 1, detractors: 1))
            #expect(all.groups.first.map { $0.tally.nps } == 25)
            let byTier = try await store.npsReport(from: ReadFixture.time(0), before: ReadFixture.time(4 * 3_600_000), groupBy: .valueTier)
            #expect(byTier.groups.map(\.key) == ["mass"], "only groups with responses")
            let none = try await store.npsReport(from: ReadFixture.time(-1), before: ReadFixture.time(0), groupBy: .channel)
            #expect(none == NpsReport(overall: NpsTally(), groups: []))
            let overallOnly = try await store.npsReport(from: ReadFixture.time(0), before: ReadFixture.time(86_400_000), groupBy: nil)
            #expect(overallOnly.groups.isEmpty)
            #expect(overallOnly.overall.responses == 8)
        }
    }
}
