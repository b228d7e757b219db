import Foundation

/// Decides what to offer or do for one customer: hard rules first (open complaints, marketing
/// consent, profiling consent, held, ineligible and recently declined products, the decline
/// stage), then the eligible products ranked by `ProductScorer`. Pure: no I/O, no clock.
public struct Recommender: Sendable {
    public var policy: RecommendationPolicy
    /// How long after a complaint or detractor response its follow-up is due (the interaction log's SLA).
    public var followUpSLA: TimeInterval

    public init(policy: RecommendationPolicy = .defaults, followUpSLA: TimeInterval = 86_400) {
        self.policy = policy
        self.followUpSLA = followUpSLA
    }

    /// The recommendations for `query`, given what the store read about the customer, the whole
    /// catalog (retired products included: they are ruled out with the ineligible ones) and the
    /// statistics across all customers.
    public func recommend(
        _ query: RecommendationQuery, evidence: RecommendationContext, catalog: [Product], statistics: RecommendationStatistics
    ) -> RecommendationList {
        let customer = evidence.customer
        var notices: [RecommendationReason] = []
        var items = serviceActions(evidence, on: query.asOf)
        if let first = items.first {
            notices.append(first.reasons[0])
        }
        // Rule 1: while a complaint or detractor response is open, only its follow-up; the
        // retention review comes once it is answered.
        if items.isEmpty, customer.segmentation.lifecycleStage == .decline {
            items.append(retentionAction(customer))
        }
        let personalised = Self.profilingAllowed(evidence.consents, requiresOptIn: policy.profilingRequiresOptIn)
        if !personalised {
            notices.append(RecommendationReason(
                .notPersonalised,
                "the customer has not allowed profiling: products are ranked by eligibility and popularity only"))
        }
        var products: [RecommendedItem] = []
        if case .refused(let message) = MarketingConsent.verdict(forMarketingOn: query.channel, consents: evidence.consents) {
            notices.append(RecommendationReason(.noMarketingConsent, message))
        } else if items.allSatisfy({ $0.kind != .service }) {
            products = rankedProducts(
                query, evidence: evidence, catalog: catalog, statistics: statistics, personalised: personalised,
                limit: max(0, query.maxResults - items.count))
        }
        // Actions come first whatever the products score: give them scores above every product.
        let top = products.first?.score ?? 0
        for index in items.indices {
            items[index].score = top + Double(items.count - index)
        }
        return RecommendationList(items: Array((items + products).prefix(query.maxResults)), personalised: personalised, notices: notices)
    }

    /// Whether the customer's data may be used to personalise: never after a refusal of profiling
    /// on any channel; without any decision, as the policy says (opt-in or legitimate interest).
    public static func profilingAllowed(_ consents: [ConsentDecision], requiresOptIn: Bool) -> Bool {
        let decisions = ConsentLedger.current(consents).filter { $0.purpose == .profiling }
        if decisions.contains(where: { !$0.granted }) { return false }
        return requiresOptIn ? decisions.contains(where: \.granted) : true
    }

    /// The products held on `day`: opened by then (or with no opening date) and not closed by then.
    public static func held(_ profile: CustomerProfile, on day: CalendarDate) -> [String] {
        var seen = Set<String>()
        return profile.products.compactMap { holding in
            let opened = holding.openedOn.map { $0 <= day } ?? true
            let open = holding.closedOn.map { $0 > day } ?? true
            guard opened, open, seen.insert(holding.productCode).inserted else { return nil }
            return holding.productCode
        }
    }

    private func serviceActions(_ evidence: RecommendationContext, on day: CalendarDate) -> [RecommendedItem] {
        OpenCases.open(evidence, on: day, sla: followUpSLA).map { item in
            let raised = ReasonWords.day(CalendarDate(utcDayOf: item.interaction.occurredAt))
            let due = ReasonWords.day(CalendarDate(utcDayOf: item.dueAt))
            let reason = switch item.reason {
            case .complaint:
                RecommendationReason(
                    .openComplaint,
                    "complaint about \(ReasonWords.complaint(item.interaction.complaint?.category)) raised on \(raised) is open, follow-up due \(due)")
            case .detractor:
                RecommendationReason(
                    .openDetractor,
                    "survey score \(item.interaction.survey?.npsScore ?? 0) on \(raised) has no follow-up yet, due \(due)")
            }
            let action: RecommendedAction = item.reason == .complaint ? .complaintFollowUp : .detractorFollowUp
            return RecommendedItem(target: .action(action, followUp: item), kind: .service, score: 0, reasons: [reason])
        }
    }

    private func retentionAction(_ customer: Customer) -> RecommendedItem {
        let evidence = customer.segmentation.lifecycleReasons.joined(separator: "; ")
        let reason = RecommendationReason(
            .decliningActivity, evidence.isEmpty ? "the customer is in the decline stage of the lifecycle" : evidence)
        return RecommendedItem(target: .action(.retentionReview, followUp: nil), kind: .retention, score: 0, reasons: [reason])
    }

    /// The best `limit` eligible products, scored, with their reasons.
    private func rankedProducts(
        _ query: RecommendationQuery, evidence: RecommendationContext, catalog: [Product], statistics: RecommendationStatistics,
        personalised: Bool, limit: Int
    ) -> [RecommendedItem] {
        let customer = evidence.customer
        let day = query.asOf
        let byCode = Dictionary(catalog.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let held = Self.held(customer.profile, on: day)
        let heldSet = Set(held)
        let heldCategories = Set(held.compactMap { byCode[$0]?.category })
        let cooling = coolingDown(evidence.history, catalog: byCode, on: day)
        let subject = EligibilitySubject(customer)
        let scorer = ProductScorer(
            policy: policy, statistics: statistics, catalog: byCode, held: held, cell: SegmentCell(customer),
            inquiries: recentInquiries(evidence.history, on: day), personalised: personalised)
        let scored = catalog.filter { product in
            !heldSet.contains(product.code) && !cooling.contains(product.code)
                && (query.category.map { $0 == product.category } ?? true)
                && ProductEligibility.isEligible(product, for: subject, on: day)
        }
        .map(scorer.score)
        .sorted { ($0.score, $1.product.code) > ($1.score, $0.product.code) }
        // Reasons are written only for the products the answer can return.
        return scored.prefix(limit).map { candidate in
            let kind: RecommendationKind = heldCategories.contains(candidate.product.category) ? .upSell : .crossSell
            return RecommendedItem(
                target: .product(candidate.product), kind: kind, score: candidate.score, reasons: scorer.reasons(for: candidate))
        }
    }

    /// Products declined within their cooldown before the end of `day`.
    private func coolingDown(_ history: [Interaction], catalog: [String: Product], on day: CalendarDate) -> Set<String> {
        var codes = Set<String>()
        for interaction in history where interaction.kind == .offerDeclined {
            let declined = CalendarDate(utcDayOf: interaction.occurredAt)
            let cooldown = catalog[interaction.productCode]?.declineCooldownDays ?? 0
            if declined <= day, day.days(since: declined) < cooldown {
                codes.insert(interaction.productCode)
            }
        }
        return codes
    }

    /// Inquiries naming a product within the intent window up to `day`, newest first, with their age in days.
    private func recentInquiries(_ history: [Interaction], on day: CalendarDate) -> [(interaction: Interaction, age: Int)] {
        history.compactMap { interaction in
            guard interaction.kind == .inquiry, !interaction.productCode.isEmpty else { return nil }
            let age = day.days(since: CalendarDate(utcDayOf: interaction.occurredAt))
            return (0..<policy.intentWindowDays).contains(age) ? (interaction, age) : nil
        }
    }
}
