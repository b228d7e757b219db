import RapportDomain
import Testing

@Suite("Products: validation")
struct ProductValidatorTests {
    @Test("A complete product is valid")
    func valid() {
        #expect(productFailure { _ in } == nil)
    }

    @Test("code is 1–64 of [A-Z0-9_]", arguments: [
        ("CARD_PLATINUM", true), ("ISA2025", true), (repeated("A", 64), true),
        ("", false), ("card_platinum", false), ("CARD-GOLD", false), (repeated("A", 65), false),
    ])
    func code(_ code: String, _ valid: Bool) {
        let failure = productFailure { $0.code = code }
        #expect(valid ? failure == nil : failure?.field == "product.code")
    }

    @Test("name is required, printable, at most 200 characters", arguments: [
        ("Gold card", true), (repeated("é", 200), true), ("", false), ("   ", false), ("Gold\u{0}card", false),
        (repeated("a", 201), false),
    ])
    func name(_ name: String, _ valid: Bool) {
        let failure = productFailure { $0.name = name }
        #expect(valid ? failure == nil : failure?.field == "product.name")
    }

    @Test("description allows line breaks but not other controls, at most 2000 characters", arguments: [
        ("", true), ("Rate 4.5% AER.\nNo fees.", true), (repeated("x", 2000), true), ("bell\u{7}", false), (repeated("x", 2001), false),
    ])
    func description(_ text: String, _ valid: Bool) {
        let failure = productFailure { $0.description = text }
        #expect(valid ? failure == nil : failure?.field == "product.description")
    }

    @Test("Ages are 1–130 when set", arguments: [(Int?.none, true), (1, true), (130, true), (0, false), (-1, false), (131, false)])
    func ages(_ age: Int?, _ valid: Bool) {
        let low = productFailure { $0.eligibility.minAge = age; $0.eligibility.maxAge = nil }
        let high = productFailure { $0.eligibility.maxAge = age; $0.eligibility.minAge = nil }
        #expect(valid ? low == nil : low?.field == "product.eligibility.min_age")
        #expect(valid ? high == nil : high?.field == "product.eligibility.max_age")
    }

    @Test("min_age above max_age is refused, naming both")
    func ageRange() {
        let failure = productFailure { $0.eligibility.minAge = 70; $0.eligibility.maxAge = 18 }
        #expect(failure == ValidationFailure(field: "product.eligibility.min_age", reason: "must not be above max_age (70 > 18)"))
    }

    @Test("Minimum income and assets are non-negative money with a currency code")
    func money() {
        let negative = productFailure { $0.eligibility.minAnnualIncome = gbp(-1) }
        let badCurrency = productFailure { $0.eligibility.minAssets = Money(minorUnits: 1, currencyCode: "gbp") }
        #expect(negative?.field == "product.eligibility.min_annual_income")
        #expect(negative?.reason.hasPrefix("minor_units must not be negative") == true)
        #expect(badCurrency?.field == "product.eligibility.min_assets")
        #expect(badCurrency?.reason.hasPrefix("currency_code must be") == true)
    }

    @Test("A value tier named twice is refused")
    func duplicateTiers() {
        let failure = productFailure { $0.eligibility.allowedValueTiers = [.mass, .mass] }
        #expect(failure?.field == "product.eligibility.allowed_value_tiers")
    }

    @Test("Wealth products need a risk rating, pensions may have one, other products may not")
    func riskRating() {
        #expect(productFailure { $0.eligibility.riskRating = nil }?.field == "product.eligibility.risk_rating")
        #expect(productFailure { $0.category = .pension } == nil)
        #expect(productFailure { $0.category = .pension; $0.eligibility.riskRating = nil } == nil)
        let loan = productFailure { $0.category = .personalLoan }
        #expect(loan == ValidationFailure(field: "product.eligibility.risk_rating", reason: "applies only to wealth/investment and pension products"))
        #expect(productFailure { $0.category = .personalLoan; $0.eligibility.riskRating = nil } == nil)
    }

    @Test("Cooldown is 0–3650 days and business weight 0–100", arguments: [(0, true), (100, true), (-1, false), (3651, false)])
    func bounds(_ value: Int, _ valid: Bool) {
        let cooldown = productFailure { $0.declineCooldownDays = value }
        #expect(valid ? cooldown == nil : cooldown?.field == "product.decline_cooldown_days")
        let weight = productFailure { $0.businessWeight = value }
        #expect(value <= 100 && valid ? weight == nil : weight?.field == "product.business_weight")
    }

    @Test("The first failure in field order wins, under the caller's prefix")
    func order() {
        var product = validFund()
        product.name = ""
        product.businessWeight = -5
        #expect(ProductValidator.validate(product, prefix: "products[3]")?.field == "products[3].name")
    }
}
