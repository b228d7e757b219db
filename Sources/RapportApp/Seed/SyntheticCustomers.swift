import Foundation
import RapportDomain

/// Realistic synthetic retail-bank customers for demos and benchmarks, deterministic per seed and index.
///
/// The mix follows a retail book: most customers mass-market, a tail of affluent and private
/// customers with a relationship manager, ages 18–90, incomes and assets rising with age; what
/// each holds comes from the generative uptake model of docs/synthetic-bank.md.
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
    /// `today` it joined (the day its first account opened).
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
        let birthDate = CalendarDate(year: today.year - age, month: Int.random(in: 1...12, using: &random),
                                     day: Int.random(in: 1...28, using: &random))
        // No customer joins before turning 18: 365-day years and a birthday later in the year could otherwise make it 17.
        let adultDays = today.days(since: CalendarDate(year: birthDate.year + 18, month: birthDate.month, day: birthDate.day))
        // Whole years for everyone else; customers of the last year are spread over it, not all joining today.
        let joinedDaysAgo = min(max(0, adultDays), tenureYears > 0 ? tenureYears * 365 : Int.random(in: 0..<365, using: &random))
        let given = random.pick(Self.givenNames)
        let family = random.pick(Self.familyNames)
        var profile = CustomerProfile()
        profile.fullName = "\(given) \(family)"
        profile.dateOfBirth = birthDate
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
        profile.riskLevel = random.pick(RiskLevel.allCases)
        profile.kycStatus = Int.random(in: 0..<100, using: &random) < 95 ? .verified : .pending
        if assets >= 10_000_000 {
            profile.relationshipManagerID = "rm-\(Int.random(in: 1...40, using: &random))"
        }
        profile.products = products(of: profile, index: index, joinedDaysAgo: joinedDaysAgo, today: today)
        return (profile, joinedDaysAgo)
    }

    /// The stream of the uptake model: its own, so its draws never shift the profile's.
    private static let uptakeSalt: UInt64 = 3

    /// The products `profile` holds, from the uptake model (ProductUptake) over its tenure.
    private func products(of profile: CustomerProfile, index: Int, joinedDaysAgo: Int, today: CalendarDate) -> [ProductHolding] {
        guard let dateOfBirth = profile.dateOfBirth else { return [] }
        let tier = Self.valueTier(income: profile.annualIncome, assets: profile.assetsUnderManagement)
        let facts = EligibilitySubject(
            dateOfBirth: dateOfBirth, annualIncome: profile.annualIncome, assets: profile.assetsUnderManagement, valueTier: tier,
            kycStatus: profile.kycStatus, riskLevel: profile.riskLevel)
        let subject = ProductUptake.Subject(
            facts: facts, dateOfBirth: dateOfBirth, joinedDaysAgo: joinedDaysAgo, isStudent: profile.occupation == "Student", tier: tier,
            ageInDays: today.days(since: dateOfBirth))
        var random = SeededRandom(seed: seed, index: index, salt: Self.uptakeSalt)
        return ProductUptake(subject: subject, today: today).holdings(random: &random)
    }

    /// The tier the default segmentation policy gives these sterling amounts: the seeder's book is in GBP.
    static func valueTier(income: Money?, assets: Money?) -> ValueTier {
        guard let limits = SegmentationPolicy.defaults.valueThresholds["GBP"] else { return .mass }
        let income = income?.minorUnits ?? 0
        let assets = assets?.minorUnits ?? 0
        if assets >= limits.privateAssets || income >= limits.privateIncome { return .privateBanking }
        return assets >= limits.affluentAssets || income >= limits.affluentIncome ? .affluent : .mass
    }
}
