import Foundation

/// Survey responses counted by NPS category; NPS = % promoters − % detractors.
public struct NpsTally: Sendable, Hashable {
    public var promoters: Int
    public var passives: Int
    public var detractors: Int

    public init(promoters: Int = 0, passives: Int = 0, detractors: Int = 0) {
        self.promoters = promoters
        self.passives = passives
        self.detractors = detractors
    }

    /// All responses counted.
    public var responses: Int { promoters + passives + detractors }

    /// % promoters − % detractors, from −100 to 100; 0 when there are no responses.
    public var nps: Double {
        let total = responses
        guard total > 0 else { return 0 }
        return Double(promoters - detractors) * 100 / Double(total)
    }

    /// Counts one more response in `category`.
    public mutating func add(_ category: NpsCategory, count: Int = 1) {
        switch category {
        case .promoter: promoters += count
        case .passive: passives += count
        case .detractor: detractors += count
        }
    }

    /// Both tallies together.
    public static func + (lhs: NpsTally, rhs: NpsTally) -> NpsTally {
        NpsTally(
            promoters: lhs.promoters + rhs.promoters, passives: lhs.passives + rhs.passives,
            detractors: lhs.detractors + rhs.detractors)
    }
}

/// What an NPS report is grouped by; each uses the customer's state when they responded.
public enum NpsDimension: String, Sendable, Hashable, Codable, CaseIterable {
    case valueTier, lifecycleStage, channel, branch
}

/// An NPS report: the overall tally and, when grouped, one tally per group key.
public struct NpsReport: Sendable, Hashable {
    public var overall: NpsTally
    /// Group key (an enum case's raw value or a branch id) and its tally, ordered by key.
    public var groups: [(key: String, tally: NpsTally)]

    public init(overall: NpsTally, groups: [(key: String, tally: NpsTally)]) {
        self.overall = overall
        self.groups = groups
    }

    public static func == (lhs: NpsReport, rhs: NpsReport) -> Bool {
        lhs.overall == rhs.overall && lhs.groups.elementsEqual(rhs.groups) { $0.key == $1.key && $0.tally == $1.tally }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(overall)
        for group in groups {
            hasher.combine(group.key)
            hasher.combine(group.tally)
        }
    }
}

/// A detractor response or complaint waiting for a follow-up, and when the follow-up is due.
public struct FollowUpItem: Sendable, Hashable {
    public var interaction: Interaction
    public var reason: FollowUpReason
    public var dueAt: Date

    public init(interaction: Interaction, reason: FollowUpReason, dueAt: Date) {
        self.interaction = interaction
        self.reason = reason
        self.dueAt = dueAt
    }
}
