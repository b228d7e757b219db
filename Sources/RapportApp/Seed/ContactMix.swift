import Foundation
import RapportDomain

/// What synthetic contacts are: mostly transactions, inquiries and service requests; some
/// surveys, offers and marketing; a few complaints and notes. Declining customers complain more
/// and score lower; better-served tiers score higher.
enum ContactMix {
    /// How a complaint or detractor response is followed up.
    enum FollowUpOutcome: Sendable, Hashable {
        /// Within the SLA.
        case onTime
        /// After the SLA had passed.
        case late
        /// Not yet: the item stays in the follow-up queue.
        case open
    }

    /// How a customer answers an offer.
    enum OfferResponse: Sendable, Hashable {
        case accepted, declined, none
    }

    /// The kind of a contact that starts something (follow-ups and offer answers come from these).
    static func kind(_ customer: ContactProfile, random: inout SeededRandom) -> InteractionKind {
        let complaints = customer.pattern == .declining ? 9.0 : 3.0
        return random.weighted([
            (.transaction, 36), (.inquiry, 22), (.serviceRequest, 15), (.surveyResponse, 8), (.offerPresented, 5),
            (.marketingContact, 5), (.complaint, complaints), (.note, 3),
        ])
    }

    /// An NPS score: about 45% promoters, 30% passives and 25% detractors over the book, more
    /// promoters among affluent and private customers, mostly detractors among those leaving.
    static func npsScore(_ customer: ContactProfile, random: inout SeededRandom) -> Int {
        let (promoters, passives): (Double, Double) = switch (customer.pattern, customer.tier) {
        case (.declining, _): (0.22, 0.30)
        case (_, .privateBanking): (0.58, 0.28)
        case (_, .affluent): (0.52, 0.29)
        case (_, .mass): (0.46, 0.31)
        }
        let draw = random.unit()
        if draw < promoters { return random.chance(0.55) ? 9 : 10 }
        if draw < promoters + passives { return random.chance(0.45) ? 7 : 8 }
        return random.weighted([(0, 3), (1, 2), (2, 3), (3, 5), (4, 9), (5, 16), (6, 22)])
    }

    /// A complaint's category and severity.
    static func complaint(random: inout SeededRandom) -> ComplaintDetails {
        let category: ComplaintCategory = random.weighted([
            (.serviceQuality, 22), (.feesAndCharges, 20), (.digitalChannels, 18), (.waitingTime, 15), (.product, 12),
            (.staffConduct, 5), (.fraudAndSecurity, 5), (.other, 3),
        ])
        let severity: ComplaintSeverity = category == .fraudAndSecurity
            ? random.weighted([(.high, 60), (.critical, 40)])
            : random.weighted([(.low, 40), (.medium, 38), (.high, 18), (.critical, 4)])
        return ComplaintDetails(category: category, severity: severity)
    }

    /// Most items are followed up within the SLA, some late, a few not yet.
    static func followUpOutcome(random: inout SeededRandom) -> FollowUpOutcome {
        random.weighted([(.onTime, 80), (.late, 13), (.open, 7)])
    }

    /// How long after the item its follow-up comes: serious complaints are called back sooner.
    static func followUpDelay(
        _ outcome: FollowUpOutcome, severity: ComplaintSeverity?, sla: TimeInterval, random: inout SeededRandom
    ) -> TimeInterval {
        let urgent = severity == .high || severity == .critical
        switch outcome {
        case .onTime, .open:
            return sla * (urgent ? 0.05 + 0.3 * random.unit() : 0.05 + 0.9 * random.unit())
        case .late:
            return sla * (1.05 + 5 * random.unit())
        }
    }

    /// About a third of offers are taken up, nearly half turned down, the rest left unanswered.
    static func offerResponse(random: inout SeededRandom) -> OfferResponse {
        random.weighted([(.accepted, 30), (.declined, 45), (.none, 25)])
    }

    /// A product to offer: one the customer does not hold yet and the catalog allows them (as a
    /// bank's offers would be); investments for wealthier customers; "" when nothing is left.
    static func offeredProduct(_ customer: ContactProfile, random: inout SeededRandom) -> String {
        let wealth = customer.tier == .mass ? [] : ["INVESTMENT_FUND", "STOCKS_AND_SHARES_ISA", "DISCRETIONARY_PORTFOLIO"]
        let candidates = (offerCatalogue + wealth).filter { code in
            guard !customer.heldProducts.contains(code) else { return false }
            guard let product = SeedCatalog.byCode[code] else { return true }
            return ProductEligibility.isEligible(product, for: customer.eligibility, on: customer.today)
        }
        return candidates.isEmpty ? "" : random.pick(candidates)
    }

    /// Recent intent: half the time, an inquiry `daysAgo` days before today is about a product the
    /// customer takes within the 60 days after it; nil otherwise.
    static func intent(_ customer: ContactProfile, daysAgo: Int, random: inout SeededRandom) -> String? {
        let upcoming = customer.acquisitions.filter { $0.daysAgo < daysAgo && $0.daysAgo >= daysAgo - 60 }
        guard !upcoming.isEmpty, random.chance(0.5) else { return nil }
        return random.pick(upcoming).code
    }

    /// A held product the contact concerns, or "" for none: nearly every transaction (on the
    /// current account mostly, else a card or savings), some inquiries and service requests,
    /// complaints about a product, and fee complaints (on the current account, held first).
    static func heldProduct(
        _ customer: ContactProfile, kind: InteractionKind, complaint: ComplaintCategory? = nil, random: inout SeededRandom
    ) -> String {
        let held = customer.heldProducts
        switch kind {
        case .transaction:
            let transactional = held.filter { transactionalProducts.contains($0) }
            guard random.chance(0.9), let current = transactional.first else { return "" }
            return random.chance(0.6) ? current : random.pick(transactional)
        case .inquiry, .serviceRequest:
            return !held.isEmpty && random.chance(0.4) ? random.pick(held) : ""
        case .complaint where complaint == .feesAndCharges:
            return held.first ?? ""
        case .complaint where complaint == .product:
            return held.isEmpty ? "" : random.pick(held)
        default:
            return ""
        }
    }

    /// Products money moves through day to day; the current account first (any of the three kinds).
    private static let transactionalProducts: Set<String> = [
        "CURRENT_ACCOUNT", "PREMIUM_CURRENT_ACCOUNT", "STUDENT_ACCOUNT", "CREDIT_CARD", "SAVINGS_ACCOUNT", "CASH_ISA",
    ]

    private static let offerCatalogue = [
        "CREDIT_CARD", "SAVINGS_ACCOUNT", "PERSONAL_LOAN", "MORTGAGE_FIXED_5Y", "CASH_ISA", "HOME_INSURANCE",
        "LIFE_INSURANCE", "TRAVEL_INSURANCE", "PREMIUM_CURRENT_ACCOUNT",
    ]
}
