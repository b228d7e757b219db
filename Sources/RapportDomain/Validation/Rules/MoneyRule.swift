/// Money checks. Failures name the money field itself ("profile.annual_income") and say in the
/// reason which part is wrong: the amount and its currency only make sense together.
enum MoneyRule {
    /// The first failure of `money` at wire path `field`: a negative amount, then a bad currency code.
    static func check(_ money: Money, field: String) -> ValidationFailure? {
        if money.minorUnits < 0 {
            return ValidationFailure(field: field, reason: "minor_units must not be negative (got \(money.minorUnits))")
        }
        if !TextRule.isUpperLetterCode(money.currencyCode, count: 3) {
            return ValidationFailure(
                field: field,
                reason: "currency_code must be an ISO 4217 code of three upper-case letters such as GBP (got \"\(money.currencyCode)\")")
        }
        return nil
    }
}
