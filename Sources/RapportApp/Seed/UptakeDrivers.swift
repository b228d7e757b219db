import Foundation
import RapportDomain

/// The age-and-tier background uptake and the co-holding follow-ons of the uptake model; the
/// figures are documented (and measured) in docs/synthetic-bank.md.
enum UptakeDrivers {
    /// How likely a customer takes a product at some point without a life event: `share` scaled
    /// by the age band on the day drawn (18–24, 25–39, 40–49, 50+) and the value tier (mass,
    /// affluent, private).
    struct Background {
        let code: String
        let share: Double
        let byAge: [Double]
        let byTier: [Double]
        /// The largest age factor, for drawing the day only when uptake is possible at all.
        let peakAge: Double

        init(code: String, share: Double, byAge: [Double], byTier: [Double]) {
            self.code = code
            self.share = share
            self.byAge = byAge
            self.byTier = byTier
            peakAge = byAge.max() ?? 0
        }
    }

    /// A product made likelier by one already taken (or a life event): with `probability`, `delay` days later.
    struct FollowOn {
        let code: String
        let probability: Double
        let delay: ClosedRange<Int>
    }

    /// Years of tenure over which background uptake saturates: a long-standing customer has had
    /// its chances, so tenure alone does not correlate unrelated products.
    static let saturationYears = 2.0

    static let background: [Background] = [
        Background(code: "PREMIUM_CURRENT_ACCOUNT", share: 0.08, byAge: [0.3, 1, 1.2, 1], byTier: [0, 3, 4]),
        Background(code: "SAVINGS_ACCOUNT", share: 0.25, byAge: [1, 1, 1, 1.1], byTier: [1, 1.3, 1.3]),
        Background(code: "CASH_ISA", share: 0.08, byAge: [0.5, 1, 1.2, 1.4], byTier: [1, 1.8, 2]),
        Background(code: "REGULAR_SAVER", share: 0.07, byAge: [1.3, 1.2, 0.8, 0.6], byTier: [1, 1, 0.6]),
        Background(code: "FIXED_TERM_DEPOSIT_1Y", share: 0.05, byAge: [0.3, 0.8, 1.2, 2], byTier: [1, 2, 2.5]),
        Background(code: "CREDIT_CARD", share: 0.30, byAge: [0.8, 1.2, 1, 0.7], byTier: [1, 1.2, 1]),
        Background(code: "CREDIT_CARD_PLATINUM", share: 0.10, byAge: [0.2, 1, 1.2, 0.8], byTier: [0, 3, 4]),
        Background(code: "PERSONAL_LOAN", share: 0.12, byAge: [0.8, 1.8, 1, 0.4], byTier: [1.2, 0.7, 0.3]),
        Background(code: "CAR_LOAN", share: 0.07, byAge: [0.6, 1.4, 1.2, 0.6], byTier: [1, 1, 0.6]),
        Background(code: "CAUTIOUS_FUND", share: 0.03, byAge: [0.2, 0.6, 1.2, 2], byTier: [1, 4, 5]),
        Background(code: "INVESTMENT_FUND", share: 0.03, byAge: [0.2, 0.8, 1.3, 1.6], byTier: [1, 5, 7]),
        Background(code: "STOCKS_AND_SHARES_ISA", share: 0.04, byAge: [0.5, 1.2, 1.2, 1], byTier: [1, 4, 5]),
        Background(code: "GLOBAL_EQUITY_FUND", share: 0.04, byAge: [0.5, 1.3, 1.2, 0.7], byTier: [1, 5, 8]),
        Background(code: "DISCRETIONARY_PORTFOLIO", share: 0.25, byAge: [0, 0.5, 1, 1.5], byTier: [0, 0, 5]),
        Background(code: "HOME_INSURANCE", share: 0.05, byAge: [0.2, 1, 1.2, 1.2], byTier: [1, 1.2, 1.2]),
        Background(code: "LIFE_INSURANCE", share: 0.04, byAge: [0.3, 1.5, 1, 0.3], byTier: [1, 1.3, 1.3]),
        Background(code: "TRAVEL_INSURANCE", share: 0.08, byAge: [1, 1.2, 1, 1.2], byTier: [1, 1.5, 1.5]),
        Background(code: "INCOME_PROTECTION", share: 0.04, byAge: [0.3, 1.3, 1.2, 0.2], byTier: [1, 1.3, 1]),
        Background(code: "PERSONAL_PENSION", share: 0.06, byAge: [0.2, 0.8, 1.5, 1.2], byTier: [1, 2, 2.5]),
        Background(code: "PAYROLL_ACCOUNT", share: 0.12, byAge: [1.2, 1.2, 1, 0.3], byTier: [1, 1, 0.6]),
        Background(code: "INTERNATIONAL_PAYMENTS", share: 0.05, byAge: [1, 1, 1, 1], byTier: [1, 1.6, 2.5]),
    ]

    /// Co-holding: what each product makes likelier afterwards (the designed lifts).
    static let followOns: [String: [FollowOn]] = {
        let mortgage = [
            FollowOn(code: "HOME_INSURANCE", probability: 0.7, delay: 0...90),
            FollowOn(code: "LIFE_INSURANCE", probability: 0.3, delay: 0...180),
            FollowOn(code: "INCOME_PROTECTION", probability: 0.12, delay: 0...365),
        ]
        return [
            "CURRENT_ACCOUNT": [FollowOn(code: "CREDIT_CARD", probability: 0.35, delay: 30...720),
                                FollowOn(code: "SAVINGS_ACCOUNT", probability: 0.2, delay: 30...1095)],
            "STUDENT_ACCOUNT": [FollowOn(code: "CREDIT_CARD", probability: 0.3, delay: 30...365)],
            "PREMIUM_CURRENT_ACCOUNT": [FollowOn(code: "CREDIT_CARD_PLATINUM", probability: 0.5, delay: 0...365),
                                        FollowOn(code: "SAVINGS_ACCOUNT", probability: 0.3, delay: 0...365)],
            "MORTGAGE": mortgage, "MORTGAGE_FIXED_5Y": mortgage, "MORTGAGE_TRACKER": mortgage,
            "SAVINGS_ACCOUNT": [FollowOn(code: "CASH_ISA", probability: 0.5, delay: 90...1095),
                                FollowOn(code: "FIXED_TERM_DEPOSIT_1Y", probability: 0.2, delay: 90...1095),
                                FollowOn(code: "REGULAR_SAVER", probability: 0.25, delay: 30...730)],
            "CASH_ISA": [FollowOn(code: "STOCKS_AND_SHARES_ISA", probability: 0.2, delay: 180...1460)],
            "CREDIT_CARD": [FollowOn(code: "PERSONAL_LOAN", probability: 0.1, delay: 180...1460)],
            "LIFE_INSURANCE": [FollowOn(code: "INCOME_PROTECTION", probability: 0.15, delay: 0...365)],
            "CAUTIOUS_FUND": [FollowOn(code: "INVESTMENT_FUND", probability: 0.3, delay: 90...1095),
                              FollowOn(code: "STOCKS_AND_SHARES_ISA", probability: 0.25, delay: 90...1095)],
            "INVESTMENT_FUND": [FollowOn(code: "STOCKS_AND_SHARES_ISA", probability: 0.35, delay: 30...730),
                                FollowOn(code: "GLOBAL_EQUITY_FUND", probability: 0.25, delay: 90...1095),
                                FollowOn(code: "DISCRETIONARY_PORTFOLIO", probability: 0.3, delay: 180...1460)],
            "STOCKS_AND_SHARES_ISA": [FollowOn(code: "INVESTMENT_FUND", probability: 0.3, delay: 30...730),
                                      FollowOn(code: "GLOBAL_EQUITY_FUND", probability: 0.2, delay: 90...1095)],
            "GLOBAL_EQUITY_FUND": [FollowOn(code: "STOCKS_AND_SHARES_ISA", probability: 0.3, delay: 30...730)],
            "DISCRETIONARY_PORTFOLIO": [FollowOn(code: "GLOBAL_EQUITY_FUND", probability: 0.3, delay: 30...730),
                                        FollowOn(code: "PERSONAL_PENSION", probability: 0.2, delay: 30...730)],
        ]
    }()

    /// Background proposals: each product at most once, on a day drawn uniformly over the tenure,
    /// as likely as its share scaled by the age band on that day and the tier.
    static func background(for model: ProductUptake, random: inout SeededRandom) -> [ProductUptake.Proposal] {
        let joined = model.subject.joinedDaysAgo
        let saturation = 1 - exp(-Double(joined) / 365 / saturationYears)
        let tier = tierIndex(model.subject.tier)
        var proposals: [ProductUptake.Proposal] = []
        // Products the tier may not hold (a zero factor) cost no draws.
        for driver in background where driver.byTier[tier] > 0 {
            // Thinning: uptake at the peak age factor first, then the day and its own factor —
            // the same distribution as drawing the day first, with far fewer draws.
            guard random.chance(driver.share * driver.peakAge * driver.byTier[tier] * saturation) else { continue }
            let daysAgo = random.int(in: 0...joined)
            if random.chance(driver.byAge[ageBand(model.age(daysAgo: daysAgo))] / driver.peakAge) {
                proposals.append(ProductUptake.Proposal(daysAgo: daysAgo, code: driver.code))
            }
        }
        return proposals
    }

    /// The co-holding proposals `holding` makes, dated after it (past today they never happen).
    static func followOns(of holding: ProductHolding, today: CalendarDate, random: inout SeededRandom) -> [ProductUptake.Proposal] {
        guard let rules = followOns[holding.productCode], let opened = holding.openedOn else { return [] }
        let openedDaysAgo = today.days(since: opened)
        return rules.compactMap { rule in
            guard random.chance(rule.probability) else { return nil }
            let daysAgo = openedDaysAgo - random.int(in: rule.delay)
            return daysAgo >= 0 ? ProductUptake.Proposal(daysAgo: daysAgo, code: rule.code) : nil
        }
    }

    /// 0 for 18–24, 1 for 25–39, 2 for 40–49, 3 for 50 and over.
    static func ageBand(_ age: Int) -> Int {
        age < 25 ? 0 : age < 40 ? 1 : age < 50 ? 2 : 3
    }

    static func tierIndex(_ tier: ValueTier) -> Int {
        switch tier {
        case .mass: 0
        case .affluent: 1
        case .privateBanking: 2
        }
    }
}
