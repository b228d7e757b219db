import Foundation
import RapportDomain
@testable import RapportStore

/// Test support for the read path: interactions are written through the writer's real
/// `importInteractions`, so the derived tables are the ones production maintains.
enum ReadFixture {
    /// 2025-03-10T00:00:00Z, a UTC midnight.
    static let midnight = Date(timeIntervalSince1970: 1_741_564_800)
    static let day: TimeInterval = 86_400

    /// An import context: a fixed clock, a 24-hour SLA and the default segmentation policy.
    static func context(now: Date = midnight.addingTimeInterval(12 * 3600), sla: TimeInterval = day) -> LogContext {
        LogContext(now: now, followUpSLA: sla, segmenter: Segmenter(policy: .defaults))
    }

    /// The instant `millis` milliseconds after `midnight`, exactly representable as stored.
    static func time(_ millis: Int64) -> Date {
        StoredTime.date(1_741_564_800_000 + millis)
    }

    /// An interaction with what its kind needs: a score for a survey, details for a complaint.
    static func interaction(
        _ id: String, customer: String, kind: InteractionKind = .inquiry, channel: Channel = .branch, at: Date,
        score: Int = 10, followUpOf: String? = nil
    ) -> Interaction {
        Interaction(
            id: id, customerID: customer, channel: channel, kind: kind, occurredAt: at, recordedAt: at,
            employeeID: "E1", summary: "summary \(id)",
            survey: kind == .surveyResponse ? SurveyResponse(npsScore: score, reason: "because") : nil,
            complaint: kind == .complaint ? ComplaintDetails(category: .waitingTime, severity: .high) : nil,
            followUpOf: followUpOf)
    }

    /// A sortable test id: "int_" and the zero-padded number.
    static func id(_ number: Int) -> String {
        let digits = String(number)
        return "int_" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Imports `interactions` in batches of 1,000, as a seeder would.
    static func load(_ interactions: [Interaction], into store: SQLiteCustomerStore) async throws {
        for start in stride(from: 0, to: interactions.count, by: 1000) {
            let batch = Array(interactions[start..<min(start + 1000, interactions.count)])
            try await store.importInteractions(batch, context: context())
        }
    }

    /// Customer ids, created with the given branches and segments.
    static func customers(
        _ store: SQLiteCustomerStore, count: Int, branches: [String] = ["BR001"]
    ) async throws -> [String] {
        let tiers = ValueTier.allCases
        let stages = LifecycleStage.allCases
        let customers = (0..<count).map { index in
            makeCustomer(
                name: "Customer \(index)", tier: tiers[index % tiers.count], stage: stages[index % stages.count],
                branch: branches[index % branches.count])
        }
        return try await store.importCustomers(customers).map(\.id)
    }
}

/// The order of a customer's log: occurred_at, then id, descending.
func newestFirst(_ lhs: Interaction, _ rhs: Interaction) -> Bool {
    (lhs.occurredAt, lhs.id) > (rhs.occurredAt, rhs.id)
}

/// Whether `interaction` passes `filter`, by plain Swift.
func matches(_ interaction: Interaction, _ filter: InteractionFilter) -> Bool {
    (filter.occurredFrom.map { interaction.occurredAt >= $0 } ?? true)
        && (filter.occurredBefore.map { interaction.occurredAt < $0 } ?? true)
        && (filter.channels.isEmpty || filter.channels.contains(interaction.channel))
        && (filter.kinds.isEmpty || filter.kinds.contains(interaction.kind))
}

/// A small seeded generator (SplitMix64), so a failing randomized test repeats exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
