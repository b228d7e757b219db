import Foundation
import RapportDomain

/// Realistic synthetic retail-bank customers for demos and benchmarks, deterministic per seed and index.
///
/// The mix follows a retail book: most customers mass-market with a current account and a card,
/// a tail of affluent and private customers with savings, investments and a relationship manager,
/// ages 18–90, incomes and assets rising with age.
public struct SyntheticCustomers: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    private static let givenNames = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Noah", "Oliver", "George", "Arthur", "Muhammad",
                                     "Leo", "Harry", "Sofia", "Grace", "Freya", "Wei", "Priya", "Jamal", "Chloe", "Jack"]
    private static let familyNames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
                                      "Wright", "Khan", "Chen", "Evans", "Thomas", "Roberts", "Walker", "Hughes", "Green"]
    private static let cities = ["London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Edinburgh", "Cardiff"]
    private static let occupations = ["Teacher", "Nurse", "Engineer", "Retired", "Student", "Accountant", "Driver",
                                      "Shop assistant", "Solicitor", "Doctor", "Self-employed", "Civil servant"]

    /// The profile of customer number `index` (0-based) as of `today`, and how many days before
    /// `today` it joined (the day its current account opened).
    public func customer(_ index: Int, today: CalendarDate) -> (profile: CustomerProfile, joinedDaysAgo: Int) {
        var random = SeededRandom(seed: seed &* 1_000_003 &+ UInt64(index))
        let age = min(90, 18 + Int(abs(random.logNormal(median: 24, spread: 0.5))))
        var income = Int64(max(0, random.logNormal(median: 32_000 * min(1.6, 0.6 + Double(age) / 60), spread: 0.6)) * 100)
        var assets = Int64(max(0, random.logNormal(median: 4_000 * Double(age) / 20, spread: 1.3)) * 100)
        // About one customer in a hundred is a private-banking client: wealth a log-normal tail rarely reaches.
        if Int.random(in: 0..<100, using: &random) == 0 {
            assets = assets * 150 + 100_000_000
            income *= 4
        }
        let tenureYears = Int.random(in: 0...min(40, age - 18), using: &random)
        // Whole years for everyone else; customers of the last year are spread over it, not all joining today.
        let joinedDaysAgo = tenureYears > 0 ? tenureYears * 365 : Int.random(in: 0..<365, using: &random)
        let given = random.pick(Self.givenNames)
        let family = random.pick(Self.familyNames)
        var profile = CustomerProfile()
        profile.fullName = "\(given) \(family)"
        profile.dateOfBirth = CalendarDate(year: today.year - age, month: Int.random(in: 1...12, using: &random),
                                           day: Int.random(in: 1...28, using: &random))
        profile.phone = "+4477009" + String(format: "%05d", index % 100_000)
        profile.email = "\(given.lowercased()).\(family.lowercased()).\(index)@example.com"
        profile.nationalID = "QQ" + String(format: "%06d", index % 1_000_000) + "C"
        profile.address = PostalAddress(line1: "\(Int.random(in: 1...200, using: &random)) High Street",
                                        city: random.pick(Self.cities), postalCode: "AB1 2CD", countryCode: "GB")
        profile.preferredLanguage = "en-GB"
        profile.preferredChannel = random.pick([.mobileApp, .mobileApp, .web, .branch, .phone, .email])
        profile.branchID = String(format: "%04d", Int.random(in: 1...120, using: &random))
        profile.occupation = age >= 67 ? "Retired" : random.pick(Self.occupations)
        profile.annualIncome = Money(minorUnits: income, currencyCode: "GBP")
        profile.assetsUnderManagement = Money(minorUnits: assets, currencyCode: "GBP")
        profile.products = products(assets: assets, joinedDaysAgo: joinedDaysAgo, today: today, random: &random)
        profile.riskLevel = random.pick(RiskLevel.allCases)
        profile.kycStatus = Int.random(in: 0..<100, using: &random) < 95 ? .verified : .pending
        if assets >= 10_000_000 {
            profile.relationshipManagerID = "rm-\(Int.random(in: 1...40, using: &random))"
        }
        return (profile, joinedDaysAgo)
    }

    private func products(assets: Int64, joinedDaysAgo: Int, today: CalendarDate, random: inout SeededRandom) -> [ProductHolding] {
        // Counted back from today in days, so no product is ever opened in the future.
        func opened() -> CalendarDate {
            today.adding(days: -Int.random(in: 0...max(0, joinedDaysAgo), using: &random))
        }
        var held = [ProductHolding(productCode: "CURRENT_ACCOUNT", openedOn: today.adding(days: -joinedDaysAgo))]
        let optional: [(String, Int)] = [("CREDIT_CARD", 55), ("SAVINGS_ACCOUNT", 45), ("PERSONAL_LOAN", 12), ("MORTGAGE", 18),
                                         ("CASH_ISA", 25), ("HOME_INSURANCE", 15), ("LIFE_INSURANCE", 8)]
        for (code, percent) in optional where Int.random(in: 0..<100, using: &random) < percent {
            held.append(ProductHolding(productCode: code, openedOn: opened()))
        }
        if assets >= 5_000_000 {
            held.append(ProductHolding(productCode: "INVESTMENT_FUND", openedOn: opened()))
        }
        if assets >= 50_000_000 {
            held.append(ProductHolding(productCode: "DISCRETIONARY_PORTFOLIO", openedOn: opened()))
        }
        return held
    }
}
