import RapportDomain

/// A valid wealth product that each test breaks or narrows in one place.
func validFund() -> Product {
    Product(
        code: "FUND_GROWTH", name: "Global Growth Fund", description: "An equity fund.\nCapital at risk.", category: .wealth,
        eligibility: EligibilityRules(
            minAge: 18, maxAge: 85, minAnnualIncome: gbp(30_000_00), minAssets: gbp(10_000_00),
            allowedValueTiers: [.affluent, .privateBanking], requiredKYCStatus: .verified, riskRating: .moderate),
        declineCooldownDays: 90, businessWeight: 60)
}

/// The validation failure of `validFund()` changed by `change`.
func productFailure(_ change: (inout Product) -> Void) -> ValidationFailure? {
    var product = validFund()
    change(&product)
    return ProductValidator.validate(product)
}
