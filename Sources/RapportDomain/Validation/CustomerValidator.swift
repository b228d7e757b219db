/// Checks a customer's external reference and profile before anything is stored.
///
/// Fields are checked in wire order (CreateCustomerRequest: `external_ref`, then `profile` in
/// customer.proto field order) and the first failure is returned, so a caller fixing one field
/// at a time always converges. The rules, by field:
/// - `external_ref`: nil or empty, or 1–64 printable characters without whitespace.
/// - `profile.full_name`: required; 1–200 characters after trimming surrounding whitespace;
///   no control characters.
/// - `profile.date_of_birth`: optional; a real calendar date, in 1900 or later, not after `today`.
/// - `profile.phone`: optional; E.164 ("+", then 8–15 digits, the first 1–9).
/// - `profile.email`: optional; well formed (see `EmailRule`).
/// - `profile.national_id`: at most 64 printable characters.
/// - `profile.address.*`: `line1`, `line2`, `city`, `postal_code` at most 128 characters each
///   (so that a stray blob cannot bloat every read); `country_code` empty or two upper-case letters.
/// - `profile.preferred_language`: empty or a BCP 47-shaped tag (see `LanguageTagRule`).
/// - `profile.branch_id`, `profile.relationship_manager_id`, `profile.occupation`: at most 128 characters.
/// - `profile.annual_income`, `profile.assets_under_management`: `minor_units` not negative,
///   `currency_code` three upper-case letters (the field is the money; the reason names the part).
/// - `profile.products`: at most `maxProducts` (100) holdings; the first beyond is named
///   ("profile.products[100]").
/// - `profile.products[i]`: `product_code` 1–64 of [A-Z0-9_]; `opened_on` required, a real date
///   not after `today`; `closed_on` optional, a real date, not after `today`, not before `opened_on`.
///
/// Enumerations (channel, risk level, KYC status) are typed in the domain; unknown wire numbers
/// are refused where the wire message is mapped.
public enum CustomerValidator {
    /// The most holdings a profile may list (see `profile.products` above).
    public static let maxProducts = ProfileChecks.maxProducts

    /// The first rule `profile` or `externalRef` breaks, or nil when both are acceptable.
    /// - Parameter today: the current UTC date; passed in so that validation never reads a clock.
    public static func validate(_ profile: CustomerProfile, externalRef: String?, today: CalendarDate) -> ValidationFailure? {
        if let externalRef, let reason = externalRefProblem(externalRef) {
            return ValidationFailure(field: "external_ref", reason: reason)
        }
        return ProfileChecks(profile: profile, today: today).firstFailure()
    }

    /// A reason when a non-empty `externalRef` is not 1–64 printable characters without whitespace.
    static func externalRefProblem(_ externalRef: String) -> String? {
        if externalRef.isEmpty { return nil }
        if let reason = TextRule.printable(externalRef, max: 64) { return reason }
        if externalRef.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            return "must not contain spaces"
        }
        return nil
    }
}
