import Foundation

/// Scores one customer's candidate products from the cross-customer statistics and the customer's
/// own holdings and inquiries, and says which signals carried each score (docs/recommendations.md).
struct ProductScorer {
    let policy: RecommendationPolicy
    let statistics: RecommendationStatistics
    let catalog: [String: Product]
    /// Products the customer holds on the as-of day, in the order the profile lists them.
    let held: [String]
    let cell: SegmentCell
    /// Inquiries within the intent window, newest first, each with its age in days.
    let inquiries: [(interaction: Interaction, age: Int)]
    let personalised: Bool
    let asOf: CalendarDate

    /// One signal's share of a score and the reason it gives.
    private struct Contribution {
        let value: Double
        let reason: () -> RecommendationReason?
    }

    /// The candidate's score and its reasons, strongest first (never empty).
    func score(_ product: Product) -> (score: Double, reasons: [RecommendationReason]) {
        let contributions = personalised
            ? personalisedContributions(product) : baseContributions(product, popularityWeight: 1)
        let total = contributions.reduce(0) { $0 + $1.value }
        let ranked = contributions.filter { $0.value > 0 }.sorted { $0.value > $1.value }
        var reasons = ranked.filter { $0.value >= policy.reasonShare * total }.compactMap { $0.reason() }
        if reasons.isEmpty {
            reasons = ranked.lazy.compactMap { $0.reason() }.first.map { [$0] } ?? []
        }
        if reasons.isEmpty {
            reasons = [popularityReason(product.code)]
        }
        return (total, reasons)
    }

    /// Signals that use nothing about the customer beyond eligibility.
    private func baseContributions(_ product: Product, popularityWeight: Double) -> [Contribution] {
        let code = product.code
        let counts = statistics.offers.byProduct[code] ?? OfferCounts()
        let acceptance = (Double(counts.accepted) + 1) / (Double(counts.decided) + 10)
        return [
            Contribution(value: popularityWeight * popularity(code)) { popularityReason(code) },
            Contribution(value: policy.acceptanceWeight * acceptance) {
                guard counts.decided >= 10, let rate = counts.acceptanceRate else { return nil }
                return RecommendationReason(
                    .oftenAccepted,
                    "accepted by \(ReasonWords.percent(rate)) of the \(counts.decided) customers who decided on it when offered")
            },
            Contribution(value: policy.businessWeight * Double(product.businessWeight) / 100) {
                RecommendationReason(.businessPriority, "a priority for the bank (business weight \(product.businessWeight) of 100)")
            },
        ]
    }

    private func personalisedContributions(_ product: Product) -> [Contribution] {
        let code = product.code
        let coholding = statistics.coholding
        let bestCosine = held.map { ($0, coholding.cosine($0, code)) }.max { $0.1 < $1.1 }
        let bestNext = held.map { ($0, nextStepShare(from: $0, to: code)) }.max { $0.1 < $1.1 }
        let segment = segmentShare(code)
        let intent = intent(for: product)
        return baseContributions(product, popularityWeight: policy.popularityWeight) + [
            Contribution(value: policy.coholdingWeight * (bestCosine?.1 ?? 0)) {
                guard let h = bestCosine?.0 else { return nil }
                let share = coholding.probability(of: code, given: h)
                return RecommendationReason(.coholding, "held by \(ReasonWords.percent(share)) of customers who hold \(name(h))")
            },
            Contribution(value: policy.nextStepWeight * (bestNext?.1 ?? 0)) {
                guard let (h, share) = bestNext else { return nil }
                return RecommendationReason(.nextStep, "taken next by \(ReasonWords.percent(share)) of customers who hold \(name(h))")
            },
            Contribution(value: policy.segmentWeight * segment.shrunk) {
                RecommendationReason(.segmentPopular, "held by \(ReasonWords.percent(segment.raw)) of \(ReasonWords.cell(cell))")
            },
            Contribution(value: policy.intentWeight * intent.value) { intent.reason },
        ]
    }

    /// Share of all customers holding `code`.
    private func popularity(_ code: String) -> Double {
        statistics.customers > 0 ? Double(statistics.coholding.holders[code, default: 0]) / Double(statistics.customers) : 0
    }

    private func popularityReason(_ code: String) -> RecommendationReason {
        RecommendationReason(.popular, "held by \(ReasonWords.percent(popularity(code))) of all customers")
    }

    /// Of the customers holding `from`, the share who opened `to` after it.
    private func nextStepShare(from: String, to: String) -> Double {
        let holders = statistics.coholding.holders[from, default: 0]
        return holders > 0 ? Double(statistics.coholding.sequences[ProductPair(from, to), default: 0]) / Double(holders) : 0
    }

    /// The cell's share holding `code`, raw and shrunk towards the overall share (small cells say little).
    private func segmentShare(_ code: String) -> (raw: Double, shrunk: Double) {
        let size = Double(statistics.segments.size(of: cell))
        let holders = Double(statistics.segments.holders(of: code, in: cell))
        let m = policy.segmentShrinkage
        let raw = size > 0 ? holders / size : 0
        let shrunk = size + m > 0 ? (holders + m * popularity(code)) / (size + m) : 0
        return (raw, shrunk)
    }

    /// Recent inquiries about the product (full weight) or its category (a share), decaying with
    /// age, capped at 1; the reason names the latest direct inquiry, else the latest in the category.
    private func intent(for product: Product) -> (value: Double, reason: RecommendationReason?) {
        var value = 0.0
        var direct: (Interaction, Int)?
        var related: (Interaction, Int)?
        for (interaction, age) in inquiries {
            let decay = exp(-Double(age) / policy.intentDecayDays)
            if interaction.productCode == product.code {
                value += decay
                if direct == nil { direct = (interaction, age) }
            } else if catalog[interaction.productCode]?.category == product.category {
                value += policy.categoryIntentShare * decay
                if related == nil { related = (interaction, age) }
            }
        }
        let reason = (direct ?? related).map { interaction, _ in
            let about = interaction.productCode == product.code ? name(product.code) : name(interaction.productCode)
            let day = CalendarDate(utcDayOf: interaction.occurredAt)
            return RecommendationReason(
                .recentInterest, "asked about \(about) \(ReasonWords.channel(interaction.channel)) on \(ReasonWords.day(day))")
        }
        return (min(1, value), reason)
    }

    /// "a Platinum credit card" style: the catalog's name, else the code.
    private func name(_ code: String) -> String {
        catalog[code]?.name ?? code
    }
}
