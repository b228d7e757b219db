import RapportDomain

/// The generative model of product uptake behind `rapportd seed` (docs/synthetic-bank.md): each
/// customer's holdings as a dated timeline from joining to today, driven by age, value tier, life
/// events and co-holding, with noise. Pure: the same customer and stream give the same holdings.
struct ProductUptake {
    /// What the model knows of one customer; eligibility uses today's facts with the age on each day.
    struct Subject {
        let facts: EligibilitySubject
        let dateOfBirth: CalendarDate
        let joinedDaysAgo: Int
        let isStudent: Bool
        let tier: ValueTier
        /// Days from birth to today.
        let ageInDays: Int
    }

    /// A product the customer may take `daysAgo` days before today, if still eligible then.
    struct Proposal {
        var daysAgo: Int
        let code: String
    }

    let subject: Subject
    let today: CalendarDate

    /// The customer's holdings in the order opened: an account on joining, then every proposal
    /// from life events, background uptake and co-holding that is eligible on its day.
    func holdings(random: inout SeededRandom) -> [ProductHolding] {
        var held = [openingAccount(random: &random)]
        var pending = LifeEvents.draw(for: self, student: held[0].productCode == "STUDENT_ACCOUNT", random: &random)
        pending += UptakeDrivers.background(for: self, random: &random)
        pending += UptakeDrivers.followOns(of: held[0], today: today, random: &random)
        // Oldest first, so that co-holding only ever follows what is already held.
        while let next = pending.indices.max(by: { pending[$0].daysAgo < pending[$1].daysAgo }) {
            var proposal = pending.remove(at: next)
            guard let product = SeedCatalog.byCode[proposal.code] else { continue }
            // Nobody takes a product before its minimum age: the proposal waits for that birthday.
            let earliest = birthdayDaysAgo(product.eligibility.minAge ?? 18)
            if proposal.daysAgo > earliest {
                proposal.daysAgo = earliest
                pending.append(proposal)
                continue
            }
            guard let holding = accept(product, on: proposal.daysAgo, held: held) else { continue }
            if product.category == .currentAccount { retireStudentAccount(in: &held, replacedBy: holding) }
            held.append(holding)
            pending += UptakeDrivers.followOns(of: holding, today: today, random: &random)
        }
        return held
    }

    /// Age in whole years on the day `daysAgo` days before today, to within a day: enough for the
    /// drivers, and cheap (eligibility still checks the exact age).
    func age(daysAgo: Int) -> Int {
        (subject.ageInDays - daysAgo) * 4 / 1461
    }

    /// Days before today of the customer's `years`-th birthday (negative when still to come).
    func birthdayDaysAgo(_ years: Int) -> Int {
        let dob = subject.dateOfBirth
        return today.days(since: CalendarDate(year: dob.year + years, month: dob.month, day: dob.day))
    }

    /// The account opened on joining: a student account for students, Premier for some affluent
    /// customers, otherwise (and whenever those are not allowed) the everyday current account.
    private func openingAccount(random: inout SeededRandom) -> ProductHolding {
        let day = today.adding(days: -subject.joinedDaysAgo)
        let joiningAge = age(daysAgo: subject.joinedDaysAgo)
        var code = "CURRENT_ACCOUNT"
        if joiningAge <= 24, random.chance(subject.isStudent ? 0.8 : 0.25) {
            code = "STUDENT_ACCOUNT"
        } else if subject.tier != .mass, random.chance(0.45) {
            code = "PREMIUM_CURRENT_ACCOUNT"
        }
        if let product = SeedCatalog.byCode[code], !ProductEligibility.isEligible(product, for: subject.facts, on: day) {
            code = "CURRENT_ACCOUNT"
        }
        return ProductHolding(productCode: code, openedOn: day)
    }

    /// The holding `product` proposed `daysAgo` becomes, or nil when it falls outside [joined, today], duplicates a
    /// product (or a second mortgage), or the catalog's eligibility refuses it on that day.
    private func accept(_ product: Product, on daysAgo: Int, held: [ProductHolding]) -> ProductHolding? {
        guard daysAgo >= 0, daysAgo <= subject.joinedDaysAgo else { return nil }
        guard !held.contains(where: { $0.closedOn == nil && $0.productCode == product.code }) else { return nil }
        if product.category == .mortgage,
           held.contains(where: { $0.closedOn == nil && SeedCatalog.byCode[$0.productCode]?.category == .mortgage }) {
            return nil
        }
        let day = today.adding(days: -daysAgo)
        guard ProductEligibility.isEligible(product, for: subject.facts, on: day) else { return nil }
        return ProductHolding(productCode: product.code, openedOn: day)
    }

    /// A new current account (`holding`) replaces a student account: the student one closes that day.
    private func retireStudentAccount(in held: inout [ProductHolding], replacedBy holding: ProductHolding) {
        guard holding.productCode != "STUDENT_ACCOUNT",
              let student = held.firstIndex(where: { $0.productCode == "STUDENT_ACCOUNT" && $0.closedOn == nil })
        else { return }
        held[student].closedOn = holding.openedOn
    }
}
