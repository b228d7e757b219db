import Foundation
import RapportApp
import RapportDomain
import Testing

@Suite("Product uptake of the synthetic bank")
struct ProductUptakeTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 23)
    /// One sample for the whole suite: generating it is the expensive part.
    static let sample = UptakeSample(seed: 5, count: 10_000, today: today)
    static let mortgages: Set<String> = ["MORTGAGE", "MORTGAGE_FIXED_5Y", "MORTGAGE_TRACKER"]
    static let wealth = ["CAUTIOUS_FUND", "INVESTMENT_FUND", "STOCKS_AND_SHARES_ISA", "GLOBAL_EQUITY_FUND", "DISCRETIONARY_PORTFOLIO"]

    @Test func holdingsAreTheSameForTheSameSeedAndCustomer() {
        let again = SyntheticCustomers(seed: 5)
        for index in [0, 17, 9999] {
            #expect(again.customer(index, today: Self.today).profile.products == Self.sample.members[index].profile.products)
        }
    }

    @Test func everyHoldingIsDatedInOrderWithinTheTenureAndAtAnAllowedAge() throws {
        for (index, member) in Self.sample.members.enumerated() {
            let joined = Self.today.adding(days: -member.joinedDaysAgo)
            let dob = try #require(member.profile.dateOfBirth)
            let opened = member.profile.products.compactMap(\.openedOn)
            #expect(opened.count == member.profile.products.count, "customer \(index)")
            #expect(opened == opened.sorted(), "customer \(index): holdings in the order opened")
            for holding in member.profile.products {
                let day = try #require(holding.openedOn)
                let minAge = SeedCatalog.products.first { $0.code == holding.productCode }?.eligibility.minAge ?? 18
                #expect(day >= joined && day <= Self.today, "customer \(index) \(holding.productCode) on \(day.isoString)")
                #expect(day.fullYears(since: dob) >= minAge, "customer \(index) \(holding.productCode) on \(day.isoString)")
                if let closed = holding.closedOn { #expect(closed >= day && closed <= Self.today, "customer \(index)") }
            }
        }
    }

    @Test func everyHoldingWasEligibleWhenOpened() throws {
        for (index, member) in Self.sample.members.enumerated() {
            let profile = member.profile
            let subject = EligibilitySubject(
                dateOfBirth: profile.dateOfBirth, annualIncome: profile.annualIncome, assets: profile.assetsUnderManagement,
                valueTier: member.tier, kycStatus: profile.kycStatus, riskLevel: profile.riskLevel)
            for holding in profile.products {
                let product = try #require(SeedCatalog.products.first { $0.code == holding.productCode })
                let day = try #require(holding.openedOn)
                let reasons = ProductEligibility.reasons(product, for: subject, on: day)
                #expect(reasons.isEmpty, "customer \(index) \(product.code): \(reasons.map(\.sentence))")
            }
        }
    }

    @Test func everyCatalogProductIsHeldBySomeoneAndEveryoneHasAnAccount() {
        for product in SeedCatalog.products {
            #expect(Self.sample.share(product.code) > 0, "\(product.code)")
        }
        let accounts: Set<String> = ["CURRENT_ACCOUNT", "PREMIUM_CURRENT_ACCOUNT", "STUDENT_ACCOUNT"]
        #expect(Self.sample.members.allSatisfy { !$0.codes.isDisjoint(with: accounts) })
    }

    @Test func designedCoHoldingsLiftUptakeAndUnrelatedOnesDoNot() {
        let sample = Self.sample
        #expect(sample.lift(anyOf: Self.mortgages, "HOME_INSURANCE") > 1.5)
        #expect(sample.lift("SAVINGS_ACCOUNT", "CASH_ISA") > 1.5)
        #expect(sample.lift("SAVINGS_ACCOUNT", "FIXED_TERM_DEPOSIT_1Y") > 1.5)
        #expect(sample.lift("PREMIUM_CURRENT_ACCOUNT", "CREDIT_CARD_PLATINUM") > 1.5)
        #expect(sample.lift("INVESTMENT_FUND", "STOCKS_AND_SHARES_ISA") > 1.5)
        #expect(sample.lift("STUDENT_ACCOUNT", "CREDIT_CARD") > 1.0)
        let unrelated = sample.lift("TRAVEL_INSURANCE", "CAR_LOAN")
        #expect(unrelated > 0.7 && unrelated < 1.4, "lift \(unrelated)")
    }

    @Test func tierAndAgeDriveUptake() {
        let sample = Self.sample
        let mass = sample.members.filter { $0.tier == .mass }
        let wealthy = sample.members.filter { $0.tier != .mass }
        let wealthShare = { (group: [UptakeSample.Member]) in
            Double(group.filter { !$0.codes.isDisjoint(with: Self.wealth) }.count) / Double(max(1, group.count))
        }
        #expect(wealthShare(wealthy) > 3 * wealthShare(mass))
        let young = sample.members.filter { $0.age < 25 }
        let middle = sample.members.filter { (30..<45).contains($0.age) }
        let older = sample.members.filter { $0.age >= 55 }
        #expect(sample.share("STUDENT_ACCOUNT", among: young) > 3 * sample.share("STUDENT_ACCOUNT", among: middle))
        let mortgaged = { (group: [UptakeSample.Member]) in
            Double(group.filter { !$0.codes.isDisjoint(with: Self.mortgages) }.count) / Double(max(1, group.count))
        }
        #expect(mortgaged(middle) > 2 * mortgaged(young))
        #expect(sample.share("PERSONAL_PENSION", among: older) > 2 * sample.share("PERSONAL_PENSION", among: young))
    }

    /// Recent intent: some inquiries ask about a product the customer takes in the weeks after.
    @Test func someInquiriesPrecedeTheAcquisitionTheyAskAbout() {
        let book = SyntheticBook(count: 2000)
        var inquiries = 0
        var beforeAcquiring = 0
        for member in book.members {
            let opened = Dictionary(member.profile.products.compactMap { h in h.openedOn.map { (h.productCode, $0) } },
                                    uniquingKeysWith: { first, _ in first })
            for draft in member.history.interactions where draft.kind == .inquiry && !draft.productCode.isEmpty {
                inquiries += 1
                let day = CalendarDate(utcDayOf: draft.occurredAt)
                if let openedOn = opened[draft.productCode], openedOn > day, openedOn.days(since: day) <= 60 {
                    beforeAcquiring += 1
                }
            }
        }
        #expect(beforeAcquiring > 0)
        #expect(Double(beforeAcquiring) > 0.02 * Double(inquiries), "\(beforeAcquiring) of \(inquiries)")
    }
}
