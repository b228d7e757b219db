import Foundation

/// Scores one customer's candidate products from the cross-customer statistics and the customer's
/// own holdings and inquiries, and says which signals carried each score (docs/recommendations.md).
///
/// Scoring computes numbers only; the sentences of the reasons are written afterwards, for the
/// few products the answer returns (`reasons(for:)`), since a request scores every eligible product.
struct ProductScorer {
    /// The signals a score adds up.
    enum Signal {
        case popularity, acceptance, business, coholding, nextStep, segment, intent
    }

    /// A candidate's score and each signal's weighted share of it.
    struct Scored {
        let product: Product
        let score: Double
        let parts: [(signal: Signal, value: Double)]
    }

    let policy: RecommendationPolicy
    let statistics: RecommendationStatistics
    let catalog: [String: Product]
    /// Products the customer holds on the as-of day, in the order the profile lists them.
    let held: [String]
    let cell: SegmentCell
    /// Inquiries within the intent window, newest first, each with its age in days.
    let inquiries: [(interaction: Interaction, age: Int)]
    let personalised: Bool
    /// `held` with each product's number in `statistics.coholdingIndex` (nil: no counts mention it).
    private let heldNumbers: [(code: String, number: Int?)]
    /// The customer's cell: its size, and its holders per product.
    private let cellSize: Int
    private let cellHolders: [String: Int]

    init(
        policy: RecommendationPolicy, statistics: RecommendationStatistics, catalog: [String: Product], held: [String],
        cell: SegmentCell, inquiries: [(interaction: Interaction, age: Int)], personalised: Bool
    ) {
        self.policy = policy
        self.statistics = statistics
        self.catalog = catalog
        self.held = held
        self.cell = cell
        self.inquiries = inquiries
        self.personalised = personalised
        heldNumbers = held.map { ($0, statistics.coholdingIndex.number(of: $0)) }
        cellSize = statistics.segments.size(of: cell)
        cellHolders = statistics.segments.holders[cell] ?? [:]
    }

    /// The candidate's score: a weighted sum of its signals (popularity alone, with acceptance and
    /// business weight, when not personalised).
    func score(_ product: Product) -> Scored {
        let code = product.code
        var parts: [(signal: Signal, value: Double)] = [
            (.popularity, (personalised ? policy.popularityWeight : 1) * popularity(code)),
            (.acceptance, policy.acceptanceWeight * acceptance(code)),
            (.business, policy.businessWeight * Double(product.businessWeight) / 100),
        ]
        if personalised {
            parts.append((.coholding, policy.coholdingWeight * (bestCoholding(code)?.cosine ?? 0)))
            parts.append((.nextStep, policy.nextStepWeight * (bestNextStep(code)?.share ?? 0)))
            parts.append((.segment, policy.segmentWeight * segmentShare(code).shrunk))
            parts.append((.intent, policy.intentWeight * intent(for: product).value))
        }
        return Scored(product: product, score: parts.reduce(0) { $0 + $1.value }, parts: parts)
    }

    /// The reasons of a scored candidate, strongest first: every signal making at least
    /// `reasonShare` of the score, else the strongest one that has something to say (never empty).
    func reasons(for scored: Scored) -> [RecommendationReason] {
        let ranked = scored.parts.filter { $0.value > 0 }.sorted { $0.value > $1.value }
        var reasons = ranked.filter { $0.value >= policy.reasonShare * scored.score }.compactMap { reason($0.signal, scored.product) }
        if reasons.isEmpty {
            reasons = ranked.lazy.compactMap { reason($0.signal, scored.product) }.first.map { [$0] } ?? []
        }
        return reasons.isEmpty ? [popularityReason(scored.product.code)] : reasons
    }

    /// The sentence a signal gives for `product`, or nil when it has no evidence worth saying.
    private func reason(_ signal: Signal, _ product: Product) -> RecommendationReason? {
        let code = product.code
        switch signal {
        case .popularity:
            return popularityReason(code)
        case .acceptance:
            let counts = statistics.offers.byProduct[code] ?? OfferCounts()
            guard counts.decided >= 10, let rate = counts.acceptanceRate else { return nil }
            return RecommendationReason(
                .oftenAccepted, "accepted by \(ReasonWords.percent(rate)) of the \(counts.decided) customers who decided on it when offered")
        case .business:
            return RecommendationReason(.businessPriority, "a priority for the bank (business weight \(product.businessWeight) of 100)")
        case .coholding:
            guard let h = bestCoholding(code)?.held else { return nil }
            let share = statistics.coholding.probability(of: code, given: h)
            return RecommendationReason(.coholding, "held by \(ReasonWords.percent(share)) of customers who hold \(name(h))")
        case .nextStep:
            guard let (h, share) = bestNextStep(code) else { return nil }
            return RecommendationReason(.nextStep, "taken next by \(ReasonWords.percent(share)) of customers who hold \(name(h))")
        case .segment:
            return RecommendationReason(.segmentPopular, "held by \(ReasonWords.percent(segmentShare(code).raw)) of \(ReasonWords.cell(cell))")
        case .intent:
            return intent(for: product).reason
        }
    }

    /// Share of all customers holding `code`.
    private func popularity(_ code: String) -> Double {
        guard statistics.customers > 0, let number = statistics.coholdingIndex.number(of: code) else { return 0 }
        return Double(statistics.coholdingIndex.holders(number)) / Double(statistics.customers)
    }

    private func popularityReason(_ code: String) -> RecommendationReason {
        RecommendationReason(.popular, "held by \(ReasonWords.percent(popularity(code))) of all customers")
    }

    /// Acceptance when offered, with a Beta(1, 9) prior: 10% until outcomes say otherwise.
    private func acceptance(_ code: String) -> Double {
        let counts = statistics.offers.byProduct[code] ?? OfferCounts()
        return (Double(counts.accepted) + 1) / (Double(counts.decided) + 10)
    }

    /// The held product most often held with `code` (cosine), if any.
    private func bestCoholding(_ code: String) -> (held: String, cosine: Double)? {
        let index = statistics.coholdingIndex
        return bestHeld(for: code) { index.cosine($0, $1) }
    }

    /// The held product after which `code` was most often taken next, and that share.
    private func bestNextStep(_ code: String) -> (held: String, share: Double)? {
        let index = statistics.coholdingIndex
        return bestHeld(for: code) { index.nextStepShare(from: $0, to: $1) }
    }

    /// The held product with the highest `value(held, candidate)` (the first one on a tie; 0 for
    /// products no count mentions), or nil when the customer holds nothing.
    private func bestHeld(for code: String, _ value: (Int, Int) -> Double) -> (String, Double)? {
        let candidate = statistics.coholdingIndex.number(of: code)
        var best: (String, Double)?
        for (heldCode, number) in heldNumbers {
            let score = if let number, let candidate { value(number, candidate) } else { 0.0 }
            if best.map({ score > $0.1 }) ?? true { best = (heldCode, score) }
        }
        return best
    }

    /// The cell's share holding `code`, raw and shrunk towards the overall share (small cells say little).
    private func segmentShare(_ code: String) -> (raw: Double, shrunk: Double) {
        let size = Double(cellSize)
        let holders = Double(cellHolders[code, default: 0])
        let m = policy.segmentShrinkage
        let raw = size > 0 ? holders / size : 0
        let shrunk = size + m > 0 ? (holders + m * popularity(code)) / (size + m) : 0
        return (raw, shrunk)
    }

    /// Recent inquiries about the product (full weight) or its category (a share), decaying with
    /// age, capped at 1; the reason names the latest direct inquiry, else the latest in the category.
    private func intent(for product: Product) -> (value: Double, reason: RecommendationReason?) {
        var value = 0.0
        var direct: Interaction?
        var related: Interaction?
        for (interaction, age) in inquiries {
            let decay = exp(-Double(age) / policy.intentDecayDays)
            if interaction.productCode == product.code {
                value += decay
                if direct == nil { direct = interaction }
            } else if catalog[interaction.productCode]?.category == product.category {
                value += policy.categoryIntentShare * decay
                if related == nil { related = interaction }
            }
        }
        let reason = (direct ?? related).map { interaction in
            let day = CalendarDate(utcDayOf: interaction.occurredAt)
            return RecommendationReason(
                .recentInterest,
                "asked about \(name(interaction.productCode)) \(ReasonWords.channel(interaction.channel)) on \(ReasonWords.day(day))")
        }
        return (min(1, value), reason)
    }

    /// The catalog's name, else the code.
    private func name(_ code: String) -> String {
        catalog[code]?.name ?? code
    }
}
