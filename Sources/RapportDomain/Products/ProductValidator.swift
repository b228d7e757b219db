/// Checks a product definition before anything is stored.
///
/// Fields are checked in `rapport.v1.Product` field order and the first failure is returned,
/// named by its wire path under `prefix` (e.g. "product.eligibility.min_age"). The rules:
/// - `code`: 1–64 upper-case letters, digits or underscores, as customers' product holdings use.
/// - `name`: required, at most 200 printable characters, not only whitespace.
/// - `description`: at most 2000 printable characters (line breaks allowed).
/// - `eligibility`: see `EligibilityRulesChecks`.
/// - `decline_cooldown_days`: 0–3650; `business_weight`: 0–100.
///
/// Enumerations are typed in the domain: an unknown value, or an unset category, is refused
/// where the wire message is mapped.
public enum ProductValidator {
    /// The longest name.
    public static let maxNameLength = 200
    /// The longest description.
    public static let maxDescriptionLength = 2000
    /// The longest cooldown after a decline: ten years.
    public static let maxCooldownDays = 3650
    /// Business weights run from 0 (no preference) to this.
    public static let maxBusinessWeight = 100

    /// Whether `code` is a well-formed product code: 1–64 of [A-Z0-9_].
    public static func isProductCode(_ code: String) -> Bool { ProductChecks.isProductCode(code) }

    /// The reason a malformed code gets.
    public static let codeReason = "must be 1 to 64 upper-case letters, digits or underscores such as CARD_PLATINUM"

    /// The first rule `product` breaks, or nil.
    public static func validate(_ product: Product, prefix: String = "product") -> ValidationFailure? {
        if !ProductChecks.isProductCode(product.code) {
            return ValidationFailure(field: "\(prefix).code", reason: codeReason)
        }
        if product.name.allSatisfy(\.isWhitespace) {
            return ValidationFailure(field: "\(prefix).name", reason: "is required")
        }
        if let reason = TextRule.printable(product.name, max: maxNameLength) {
            return ValidationFailure(field: "\(prefix).name", reason: reason)
        }
        if let reason = descriptionProblem(product.description) {
            return ValidationFailure(field: "\(prefix).description", reason: reason)
        }
        if let failure = EligibilityRulesChecks(rules: product.eligibility, category: product.category, field: "\(prefix).eligibility")
            .firstFailure()
        {
            return failure
        }
        if !(0...maxCooldownDays).contains(product.declineCooldownDays) {
            return ValidationFailure(
                field: "\(prefix).decline_cooldown_days",
                reason: "must be between 0 and \(maxCooldownDays) days (got \(product.declineCooldownDays))")
        }
        if !(0...maxBusinessWeight).contains(product.businessWeight) {
            return ValidationFailure(
                field: "\(prefix).business_weight", reason: "must be between 0 and \(maxBusinessWeight) (got \(product.businessWeight))")
        }
        return nil
    }

    /// Descriptions are prose: line breaks and tabs are fine, other invisible characters are not.
    private static func descriptionProblem(_ text: String) -> String? {
        if let tooLong = TextRule.maxLength(text, maxDescriptionLength) { return tooLong }
        let allowed = text.unicodeScalars.allSatisfy { TextRule.isPrintable($0) || $0 == "\n" || $0 == "\t" }
        return allowed ? nil : "must contain only printable characters, line breaks and tabs"
    }
}
