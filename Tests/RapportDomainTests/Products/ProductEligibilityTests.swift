import RapportDomain
import Testing

@Suite("Products: eligibility")
struct ProductEligibilityTests {
    /// A customer every rule of `validFund()` admits: 38, affluent, verified, moderately aggressive.
    private let eligible = EligibilitySubject(
        dateOfBirth: day(1985, 12, 10), annualIncome: gbp(85_000_00), assets: gbp(120_000_00), valueTier: .affluent,
        kycStatus: .verified, riskLevel: .moderatelyAggressive)

    /// The reasons' codes; every case also checks that `isEligible` (which writes no sentence) agrees.
    private func codes(_ subject: EligibilitySubject, _ product: Product = validFund()) -> [IneligibilityReason.Code] {
        let reasons = ProductEligibility.reasons(product, for: subject, on: today)
        #expect(ProductEligibility.isEligible(product, for: subject, on: today) == reasons.isEmpty)
        return reasons.map(\.code)
    }

    @Test("A customer meeting every rule is eligible")
    func eligibleCustomer() {
        #expect(ProductEligibility.isEligible(validFund(), for: eligible, on: today))
    }

    @Test("A product without rules admits a customer with no facts at all")
    func noRules() {
        let account = Product(code: "CURRENT_ACCOUNT", name: "Current account", category: .currentAccount)
        #expect(codes(EligibilitySubject(), account).isEmpty)
    }

    @Test("Age is completed years on the day asked", arguments: [
        (day(2006, 6, 15), [IneligibilityReason.Code]()), (day(2006, 6, 16), [.tooYoung]),
        (day(1938, 6, 16), []), (day(1938, 6, 15), [.tooOld]),
    ])
    func age(_ born: CalendarDate, _ expected: [IneligibilityReason.Code]) {
        var subject = eligible
        subject.dateOfBirth = born
        #expect(codes(subject) == expected)
    }

    @Test("The age sentence gives the age, the day and the limit")
    func ageSentence() {
        var subject = eligible
        subject.dateOfBirth = day(2007, 1, 1)
        let reasons = ProductEligibility.reasons(validFund(), for: subject, on: today)
        #expect(reasons == [IneligibilityReason(.tooYoung, "aged 17 on 2024-06-15, below the minimum age of 18")])
    }

    @Test("Income and assets: unknown, another currency and below the minimum each have a code")
    func money() {
        var subject = eligible
        subject.annualIncome = nil
        subject.assets = Money(minorUnits: 999_999_00, currencyCode: "EUR")
        #expect(codes(subject) == [.incomeUnknown, .assetsCurrencyDiffers])
        subject.annualIncome = gbp(29_999_99)
        subject.assets = gbp(9_999_99)
        #expect(codes(subject) == [.incomeBelowMinimum, .assetsBelowMinimum])
        let sentence = ProductEligibility.reasons(validFund(), for: subject, on: today).first?.sentence
        #expect(sentence == "annual income GBP 29,999.99 is below the minimum of GBP 30,000.00")
        subject.annualIncome = gbp(30_000_00)
        subject.assets = gbp(10_000_00)
        #expect(codes(subject).isEmpty)
    }

    @Test("Value tier, KYC status and risk level")
    func segmentsAndRisk() {
        var subject = eligible
        subject.valueTier = .mass
        subject.kycStatus = .pending
        subject.riskLevel = .moderatelyConservative
        #expect(codes(subject) == [.valueTierNotAllowed, .kycStatusNotMet, .riskLevelTooLow])
        subject.valueTier = nil
        subject.kycStatus = nil
        subject.riskLevel = nil
        #expect(codes(subject) == [.valueTierNotAllowed, .kycStatusNotMet, .riskLevelUnknown])
        subject = eligible
        subject.riskLevel = .moderate
        #expect(codes(subject).isEmpty)
    }

    @Test("Every failing rule is reported, a retired product first")
    func everyReason() {
        var product = validFund()
        product.active = false
        let reasons = ProductEligibility.reasons(product, for: EligibilitySubject(), on: today)
        #expect(reasons.map(\.code) == [
            .productRetired, .ageUnknown, .incomeUnknown, .assetsUnknown, .valueTierNotAllowed, .kycStatusNotMet, .riskLevelUnknown,
        ])
        #expect(reasons.allSatisfy { !$0.sentence.isEmpty })
    }

    @Test("A stored customer's facts come from the profile and the computed value tier")
    func subjectFromCustomer() {
        var profile = validProfile()
        profile.kycStatus = .verified
        profile.riskLevel = .aggressive
        let segmentation = Segmentation(valueTier: .privateBanking, valueTierReasons: [], lifecycleStage: .growth, lifecycleReasons: [])
        let customer = Customer(
            id: "cus_1", externalRef: nil, profile: profile, segmentation: segmentation, createdAt: instant(today),
            updatedAt: instant(today), etag: "e")
        let subject = EligibilitySubject(customer)
        #expect(subject.valueTier == .privateBanking)
        #expect(subject.annualIncome == profile.annualIncome)
        #expect(subject.dateOfBirth == profile.dateOfBirth)
        #expect(ProductEligibility.isEligible(validFund(), for: subject, on: today))
    }
}
