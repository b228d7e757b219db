import Foundation

/// The profile rules of `CustomerValidator`, one method per wire field, run in wire order.
struct ProfileChecks {
    let profile: CustomerProfile
    let today: CalendarDate

    /// The longest free-text identifier or label the daemon keeps (branch, manager, occupation, address lines).
    static let shortTextLimit = 128

    /// The most holdings one profile may list. Far above any real customer (a retail customer
    /// holds a handful of products); the bound is there because each write recounts the pairs
    /// of held products, whose number grows with the square of the holdings.
    static let maxProducts = 100

    func firstFailure() -> ValidationFailure? {
        let checks: [() -> ValidationFailure?] = [
            fullName, dateOfBirth, phone, email, nationalID, address, preferredLanguage,
            { Self.short(profile.branchID, "profile.branch_id") },
            { Self.short(profile.relationshipManagerID, "profile.relationship_manager_id") },
            { Self.short(profile.occupation, "profile.occupation") },
            { profile.annualIncome.flatMap { MoneyRule.check($0, field: "profile.annual_income") } },
            { profile.assetsUnderManagement.flatMap { MoneyRule.check($0, field: "profile.assets_under_management") } },
            products,
        ]
        for check in checks {
            if let failure = check() { return failure }
        }
        return nil
    }

    func fullName() -> ValidationFailure? {
        let field = "profile.full_name"
        let trimmed = profile.fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return ValidationFailure(field: field, reason: "is required") }
        if let reason = TextRule.maxLength(trimmed, 200) { return ValidationFailure(field: field, reason: reason) }
        if profile.fullName.unicodeScalars.contains(where: TextRule.isControl) {
            return ValidationFailure(field: field, reason: "must not contain control characters such as tabs or line breaks")
        }
        return nil
    }

    func dateOfBirth() -> ValidationFailure? {
        guard let date = profile.dateOfBirth else { return nil }
        let field = "profile.date_of_birth"
        if let reason = DateRule.existence(date) { return ValidationFailure(field: field, reason: reason) }
        if date.year < 1900 { return ValidationFailure(field: field, reason: "must be in 1900 or later (got \(date.isoString))") }
        if let reason = DateRule.notFuture(date, today: today) { return ValidationFailure(field: field, reason: reason) }
        return nil
    }

    func phone() -> ValidationFailure? {
        guard !profile.phone.isEmpty, let reason = PhoneRule.check(profile.phone) else { return nil }
        return ValidationFailure(field: "profile.phone", reason: reason)
    }

    func email() -> ValidationFailure? {
        guard !profile.email.isEmpty, let reason = EmailRule.check(profile.email) else { return nil }
        return ValidationFailure(field: "profile.email", reason: reason)
    }

    func nationalID() -> ValidationFailure? {
        guard let reason = TextRule.printable(profile.nationalID, max: 64) else { return nil }
        return ValidationFailure(field: "profile.national_id", reason: reason)
    }

    func address() -> ValidationFailure? {
        guard let address = profile.address else { return nil }
        let lines = [
            (address.line1, "line1"), (address.line2, "line2"), (address.city, "city"), (address.postalCode, "postal_code"),
        ]
        for (text, name) in lines {
            if let failure = Self.short(text, "profile.address.\(name)") { return failure }
        }
        if !address.countryCode.isEmpty && !TextRule.isUpperLetterCode(address.countryCode, count: 2) {
            return ValidationFailure(
                field: "profile.address.country_code",
                reason: "must be an ISO 3166-1 alpha-2 code of two upper-case letters such as GB")
        }
        return nil
    }

    func preferredLanguage() -> ValidationFailure? {
        guard !profile.preferredLanguage.isEmpty, let reason = LanguageTagRule.check(profile.preferredLanguage) else { return nil }
        return ValidationFailure(field: "profile.preferred_language", reason: reason)
    }

    func products() -> ValidationFailure? {
        if profile.products.count > Self.maxProducts {
            return ValidationFailure(
                field: "profile.products[\(Self.maxProducts)]",
                reason: "is beyond the limit of \(Self.maxProducts) holdings per customer (got \(profile.products.count))")
        }
        for (index, product) in profile.products.enumerated() {
            if let failure = ProductChecks(product: product, field: "profile.products[\(index)]", today: today).firstFailure() {
                return failure
            }
        }
        return nil
    }

    /// A failure when `text` exceeds the short-text limit.
    static func short(_ text: String, _ field: String) -> ValidationFailure? {
        TextRule.maxLength(text, shortTextLimit).map { ValidationFailure(field: field, reason: $0) }
    }
}
