import RapportDomain

/// The life events of the uptake model, drawn per customer with plausible ages, and the products
/// each makes the customer take in the months after (docs/synthetic-bank.md).
enum LifeEvents {
    /// A product an event brings: with `probability`, `delay` days after the event.
    typealias Uptake = UptakeDrivers.FollowOn

    /// Share of events before joining whose products the customer brings over (switching a
    /// mortgage, moving savings) in the first six months at the bank.
    static let carriedOver = 0.3

    static let firstSalary = [
        Uptake(code: "PAYROLL_ACCOUNT", probability: 0.35, delay: 0...60),
        Uptake(code: "CREDIT_CARD", probability: 0.3, delay: 30...540),
    ]
    static let partner = [
        Uptake(code: "SAVINGS_ACCOUNT", probability: 0.3, delay: 0...365),
        Uptake(code: "TRAVEL_INSURANCE", probability: 0.25, delay: 0...180),
        Uptake(code: "LIFE_INSURANCE", probability: 0.1, delay: 0...365),
    ]
    static let home = [
        Uptake(code: "HOME_INSURANCE", probability: 0.3, delay: 0...120),
    ]
    static let children = [
        Uptake(code: "LIFE_INSURANCE", probability: 0.4, delay: 0...365),
        Uptake(code: "REGULAR_SAVER", probability: 0.3, delay: 0...730),
        Uptake(code: "SAVINGS_ACCOUNT", probability: 0.25, delay: 0...730),
        Uptake(code: "INCOME_PROTECTION", probability: 0.2, delay: 0...365),
    ]
    static let retirement = [
        Uptake(code: "PERSONAL_PENSION", probability: 0.45, delay: 0...365),
        Uptake(code: "CASH_ISA", probability: 0.3, delay: 0...730),
        Uptake(code: "CAUTIOUS_FUND", probability: 0.2, delay: 0...730),
        Uptake(code: "INVESTMENT_FUND", probability: 0.15, delay: 0...730),
        Uptake(code: "DISCRETIONARY_PORTFOLIO", probability: 0.35, delay: 0...730),
    ]
    /// A student account holder moves to the everyday current account on graduating.
    static let graduation = Uptake(code: "CURRENT_ACCOUNT", probability: 0.9, delay: 0...60)
    /// The mortgage a home purchase brings, by how often each is chosen.
    static let mortgages = [("MORTGAGE_FIXED_5Y", 0.5), ("MORTGAGE_TRACKER", 0.25), ("MORTGAGE", 0.25)]

    /// Every product the customer's life events propose: first salary (age 18–23; graduation at
    /// 21–23 for a `student` account holder, who then moves to a current account), moving in
    /// together (65%, around 29), buying a home (mortgage 80%, around 33 or a few years after
    /// moving in), children (around 32) and the approach of retirement (55–62).
    static func draw(for model: ProductUptake, student: Bool, random: inout SeededRandom) -> [ProductUptake.Proposal] {
        var proposals: [ProductUptake.Proposal] = []
        func happen(atAge age: Int, _ uptakes: [Uptake]) {
            // A day within the year of that age, so events spread over the calendar.
            let eventDaysAgo = model.birthdayDaysAgo(age) - random.int(in: 0...364)
            guard eventDaysAgo >= 0 else { return }
            var base = eventDaysAgo
            if eventDaysAgo > model.subject.joinedDaysAgo {
                guard random.chance(carriedOver) else { return }
                base = max(0, model.subject.joinedDaysAgo - random.int(in: 0...180))
            }
            for uptake in uptakes where random.chance(uptake.probability) {
                let daysAgo = base - random.int(in: uptake.delay)
                if daysAgo >= 0 { proposals.append(ProductUptake.Proposal(daysAgo: daysAgo, code: uptake.code)) }
            }
        }
        let salaryAge = student ? random.int(in: 21...23) : random.int(in: 18...23)
        happen(atAge: salaryAge, student ? firstSalary + [graduation] : firstSalary)
        let partnerAge = random.chance(0.65) ? clamped(random.normal(mean: 29, deviation: 4), 20...50) : nil
        if let partnerAge { happen(atAge: partnerAge, partner) }
        let homeChance = 0.35 + (partnerAge == nil ? 0 : 0.25) + (model.subject.tier == .mass ? 0 : 0.1)
        if random.chance(homeChance) {
            let homeAge = partnerAge.map { $0 + random.int(in: 0...4) }
                ?? clamped(random.normal(mean: 33, deviation: 5), 22...60)
            let mortgage = Uptake(code: random.weighted(mortgages), probability: 0.8, delay: 0...0)
            happen(atAge: homeAge, home + [mortgage])
        }
        if random.chance(partnerAge == nil ? 0.2 : 0.7) {
            happen(atAge: max((partnerAge ?? 20) + 1, clamped(random.normal(mean: 32, deviation: 4), 20...45)), children)
        }
        happen(atAge: random.int(in: 55...62), retirement)
        return proposals
    }

    private static func clamped(_ value: Double, _ range: ClosedRange<Int>) -> Int {
        min(range.upperBound, max(range.lowerBound, Int(value.rounded())))
    }
}
