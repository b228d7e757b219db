import RapportDomain
import Testing

@Suite("Validation: dates of birth and money")
struct DateAndMoneyValidationTests {
    @Test("A date of birth is a real date from 1900 up to today", arguments: [
        (day(2024, 2, 29), true),
        (day(2000, 2, 29), true),
        (today, true),
        (day(1900, 1, 1), true),
        (day(1990, 12, 31), true),
        (day(2023, 2, 29), false),
        (day(1900, 2, 29), false),
        (today.adding(days: 1), false),
        (day(2030, 1, 1), false),
        (day(1899, 12, 31), false),
        (day(1990, 13, 1), false),
        (day(1990, 4, 31), false),
        (day(1990, 1, 0), false),
    ])
    func dateOfBirth(_ date: CalendarDate, _ valid: Bool) {
        let result = failure { $0.dateOfBirth = date }
        #expect(valid ? result == nil : result?.field == "profile.date_of_birth")
    }

    @Test("An unknown date of birth is fine")
    func noDateOfBirth() {
        #expect(failure { $0.dateOfBirth = nil } == nil)
    }

    @Test("Date-of-birth reasons say what is wrong")
    func dateOfBirthReasons() {
        #expect(failure { $0.dateOfBirth = day(2023, 2, 29) }?.reason == "must be a real calendar date (2023-02-29 does not exist)")
        #expect(failure { $0.dateOfBirth = day(2024, 6, 16) }?.reason == "must not be in the future (2024-06-16 is after today, 2024-06-15)")
        #expect(failure { $0.dateOfBirth = day(1899, 12, 31) }?.reason == "must be in 1900 or later (got 1899-12-31)")
    }

    @Test("Money is non-negative with a three-letter upper-case currency", arguments: [
        (Money(minorUnits: 0, currencyCode: "GBP"), nil),
        (Money(minorUnits: 100, currencyCode: "USD"), nil),
        (Money(minorUnits: Int64.max, currencyCode: "JPY"), nil),
        (Money(minorUnits: -1, currencyCode: "GBP"), "minor_units"),
        (Money(minorUnits: 100, currencyCode: "gbp"), "currency_code"),
        (Money(minorUnits: 100, currencyCode: "GB"), "currency_code"),
        (Money(minorUnits: 100, currencyCode: "GBPX"), "currency_code"),
        (Money(minorUnits: 100, currencyCode: ""), "currency_code"),
    ] as [(Money, String?)])
    func money(_ money: Money, _ badPart: String?) {
        let income = failure { $0.annualIncome = money }
        let assets = failure { $0.assetsUnderManagement = money }
        #expect(income?.field == badPart.map { _ in "profile.annual_income" })
        #expect(assets?.field == badPart.map { _ in "profile.assets_under_management" })
        #expect(income?.reason.hasPrefix(badPart ?? "") ?? true)
    }

    @Test("Negative money says what it got")
    func negativeReason() {
        #expect(failure { $0.annualIncome = gbp(-5) }?.reason == "minor_units must not be negative (got -5)")
    }

    @Test("A bad currency code shows what was sent")
    func currencyReason() {
        #expect(failure { $0.assetsUnderManagement = Money(minorUnits: 1, currencyCode: "pounds") }?.reason
            == "currency_code must be an ISO 4217 code of three upper-case letters such as GBP (got \"pounds\")")
    }

    @Test("Unknown money is fine")
    func noMoney() {
        #expect(failure { $0.annualIncome = nil; $0.assetsUnderManagement = nil } == nil)
    }
}
