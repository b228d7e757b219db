/// The rules for a product's eligibility, in `rapport.v1.ProductEligibility` field order:
/// - `min_age`, `max_age`: 0–130 (0 is no limit on the wire, nil here); `min_age` ≤ `max_age`.
/// - `min_annual_income`, `min_assets`: not negative, an ISO 4217 currency code.
/// - `allowed_value_tiers`: no tier twice.
/// - `risk_rating`: required for wealth products, allowed for pensions, refused for the rest
///   (a rating on a loan would silently hide it from cautious customers).
struct EligibilityRulesChecks {
    /// The oldest age a limit may name.
    static let maxAge = 130

    let rules: EligibilityRules
    let category: ProductCategory
    /// The wire path of the eligibility, e.g. "product.eligibility".
    let field: String

    func firstFailure() -> ValidationFailure? {
        for (name, age) in [("min_age", rules.minAge), ("max_age", rules.maxAge)] {
            if let age, !(1...Self.maxAge).contains(age) {
                return ValidationFailure(field: "\(field).\(name)", reason: "must be between 0 (no limit) and \(Self.maxAge) (got \(age))")
            }
        }
        if let minAge = rules.minAge, let maxAge = rules.maxAge, minAge > maxAge {
            return ValidationFailure(field: "\(field).min_age", reason: "must not be above max_age (\(minAge) > \(maxAge))")
        }
        if let income = rules.minAnnualIncome, let failure = MoneyRule.check(income, field: "\(field).min_annual_income") {
            return failure
        }
        if let assets = rules.minAssets, let failure = MoneyRule.check(assets, field: "\(field).min_assets") {
            return failure
        }
        if Set(rules.allowedValueTiers).count != rules.allowedValueTiers.count {
            return ValidationFailure(field: "\(field).allowed_value_tiers", reason: "must not name a tier twice")
        }
        return riskRatingFailure()
    }

    private func riskRatingFailure() -> ValidationFailure? {
        switch (category, rules.riskRating) {
        case (.wealth, nil):
            return ValidationFailure(
                field: "\(field).risk_rating", reason: "is required for wealth/investment products (the lowest customer risk level they suit)")
        case (.wealth, _), (.pension, _), (_, nil):
            return nil
        default:
            return ValidationFailure(field: "\(field).risk_rating", reason: "applies only to wealth/investment and pension products")
        }
    }
}
