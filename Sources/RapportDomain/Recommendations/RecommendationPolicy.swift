import Foundation

/// How recommendations weigh their signals and where the rules draw their lines; loaded from the
/// "recommendations" configuration. The weights were tuned offline (benchmarks/recommendations).
public struct RecommendationPolicy: Sendable, Codable, Hashable {
    /// Weight of co-holding: the best cosine between a held product and the candidate.
    public var coholdingWeight: Double
    /// Weight of the next-step signal: how often the candidate was taken after a held product.
    public var nextStepWeight: Double
    /// Weight of the share of the customer's segment cell (tier × birth cohort) holding the candidate.
    public var segmentWeight: Double
    /// Weight of recent inquiries about the candidate (or its category).
    public var intentWeight: Double
    /// Weight of the candidate's acceptance rate when offered.
    public var acceptanceWeight: Double
    /// Weight of the share of all customers holding the candidate in a personalised ranking (a
    /// non-personalised one ranks by popularity first, with weight 1).
    public var popularityWeight: Double
    /// Weight of the product's business weight (0–100, scaled to 0–1).
    public var businessWeight: Double
    /// How far back an inquiry still signals intent, in days.
    public var intentWindowDays: Int
    /// Days over which an inquiry's weight falls to 1/e.
    public var intentDecayDays: Double
    /// An inquiry about another product of the same category counts this much of a direct one.
    public var categoryIntentShare: Double
    /// Customers a segment cell's shares are shrunk towards the overall share with (small cells).
    public var segmentShrinkage: Double
    /// A signal is given as a reason when it makes at least this share of the item's score.
    public var reasonShare: Double
    /// When true, profiling needs an explicit opt-in (no decision: non-personalised). When false,
    /// profiling rests on the bank's legitimate interest and only a refusal (the customer objected
    /// or withdrew consent) makes the answer non-personalised.
    public var profilingRequiresOptIn: Bool
    /// How stale the cross-customer statistics a request reads may be, in milliseconds.
    public var statisticsMaxAgeMilliseconds: Int

    public init(
        coholdingWeight: Double = 1, nextStepWeight: Double = 3, segmentWeight: Double = 0.1,
        intentWeight: Double = 20, acceptanceWeight: Double = 0.2, popularityWeight: Double = 0,
        businessWeight: Double = 1, intentWindowDays: Int = 60, intentDecayDays: Double = 30,
        categoryIntentShare: Double = 0.3, segmentShrinkage: Double = 50, reasonShare: Double = 0.15,
        profilingRequiresOptIn: Bool = false, statisticsMaxAgeMilliseconds: Int = 1000
    ) {
        self.coholdingWeight = coholdingWeight
        self.nextStepWeight = nextStepWeight
        self.segmentWeight = segmentWeight
        self.intentWeight = intentWeight
        self.acceptanceWeight = acceptanceWeight
        self.popularityWeight = popularityWeight
        self.businessWeight = businessWeight
        self.intentWindowDays = intentWindowDays
        self.intentDecayDays = intentDecayDays
        self.categoryIntentShare = categoryIntentShare
        self.segmentShrinkage = segmentShrinkage
        self.reasonShare = reasonShare
        self.profilingRequiresOptIn = profilingRequiresOptIn
        self.statisticsMaxAgeMilliseconds = statisticsMaxAgeMilliseconds
    }

    /// The weights tuned offline on a book of seed 2 (docs/recommendations.md), 60 days of intent,
    /// reasons at 15% of a score.
    public static let defaults = RecommendationPolicy()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case coholdingWeight, nextStepWeight, segmentWeight, intentWeight, acceptanceWeight, popularityWeight
        case businessWeight, intentWindowDays, intentDecayDays, categoryIntentShare, segmentShrinkage, reasonShare
        case profilingRequiresOptIn, statisticsMaxAgeMilliseconds
    }

    /// Decodes a policy in which any key may be left out (it takes the default); unknown keys are refused.
    public init(from decoder: any Decoder) throws {
        let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        let base = Self.defaults
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        coholdingWeight = try value(.coholdingWeight, base.coholdingWeight)
        nextStepWeight = try value(.nextStepWeight, base.nextStepWeight)
        segmentWeight = try value(.segmentWeight, base.segmentWeight)
        intentWeight = try value(.intentWeight, base.intentWeight)
        acceptanceWeight = try value(.acceptanceWeight, base.acceptanceWeight)
        popularityWeight = try value(.popularityWeight, base.popularityWeight)
        businessWeight = try value(.businessWeight, base.businessWeight)
        intentWindowDays = try value(.intentWindowDays, base.intentWindowDays)
        intentDecayDays = try value(.intentDecayDays, base.intentDecayDays)
        categoryIntentShare = try value(.categoryIntentShare, base.categoryIntentShare)
        segmentShrinkage = try value(.segmentShrinkage, base.segmentShrinkage)
        reasonShare = try value(.reasonShare, base.reasonShare)
        profilingRequiresOptIn = try value(.profilingRequiresOptIn, base.profilingRequiresOptIn)
        statisticsMaxAgeMilliseconds = try value(.statisticsMaxAgeMilliseconds, base.statisticsMaxAgeMilliseconds)
    }

    /// Every value that makes no sense, each as "field: problem"; empty when the policy is usable.
    public var problems: [String] {
        var problems: [String] = []
        let weights: [(String, Double)] = [
            ("coholdingWeight", coholdingWeight), ("nextStepWeight", nextStepWeight), ("segmentWeight", segmentWeight),
            ("intentWeight", intentWeight), ("acceptanceWeight", acceptanceWeight),
            ("popularityWeight", popularityWeight), ("businessWeight", businessWeight),
        ]
        for (name, weight) in weights where !(weight.isFinite && weight >= 0 && weight <= 1000) {
            problems.append("\(name): must be a number from 0 to 1000")
        }
        if !(1...3650).contains(intentWindowDays) { problems.append("intentWindowDays: must be 1–3650") }
        if !(intentDecayDays.isFinite && intentDecayDays > 0) { problems.append("intentDecayDays: must be above 0") }
        if !(categoryIntentShare.isFinite && (0...1).contains(categoryIntentShare)) {
            problems.append("categoryIntentShare: must be 0–1")
        }
        if !(segmentShrinkage.isFinite && segmentShrinkage >= 0) { problems.append("segmentShrinkage: must be 0 or more") }
        if !(reasonShare.isFinite && (0...1).contains(reasonShare)) { problems.append("reasonShare: must be 0–1") }
        if !(0...3_600_000).contains(statisticsMaxAgeMilliseconds) {
            problems.append("statisticsMaxAgeMilliseconds: must be 0–3600000")
        }
        return problems
    }
}
