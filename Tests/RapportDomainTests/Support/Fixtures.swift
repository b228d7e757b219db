import Foundation
import RapportDomain

/// The fixed "today" of every test, so that results never depend on the day the suite runs.
let today = CalendarDate(year: 2024, month: 6, day: 15)

/// A calendar date, shorter to read in tables.
func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    CalendarDate(year: year, month: month, day: day)
}

/// Midnight UTC at the start of `date`.
func instant(_ date: CalendarDate) -> Date {
    Date(timeIntervalSince1970: TimeInterval(date.days(since: day(1970, 1, 1))) * 86_400)
}

/// A string of `count` copies of `character`.
func repeated(_ character: Character, _ count: Int) -> String {
    String(repeating: String(character), count: count)
}

/// Pounds sterling in pence.
func gbp(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currencyCode: "GBP") }

/// A profile with every field set to an acceptable value, which each test then breaks in one place.
func validProfile() -> CustomerProfile {
    var profile = CustomerProfile()
    profile.fullName = "Ada Lovelace"
    profile.dateOfBirth = day(1985, 12, 10)
    profile.phone = "+447700900123"
    profile.email = "ada@example.co.uk"
    profile.nationalID = "QQ 12 34 56 C"
    profile.address = PostalAddress(line1: "12 Analytical Row", city: "London", postalCode: "SW1A 1AA", countryCode: "GB")
    profile.preferredLanguage = "en-GB"
    profile.preferredChannel = .email
    profile.branchID = "LON-001"
    profile.relationshipManagerID = "rm-42"
    profile.occupation = "Mathematician"
    profile.annualIncome = gbp(85_000_00)
    profile.assetsUnderManagement = gbp(120_000_00)
    profile.products = [
        ProductHolding(productCode: "CURRENT_ACCOUNT", openedOn: day(2015, 3, 1)),
        ProductHolding(productCode: "ISA2024", openedOn: day(2024, 4, 6)),
        ProductHolding(productCode: "CREDIT_CARD_GOLD", openedOn: day(2016, 1, 1), closedOn: day(2020, 1, 1)),
    ]
    profile.riskLevel = .moderate
    profile.kycStatus = .verified
    return profile
}

/// The validator's answer for `profile` changed by `change`, as of `today`.
func failure(
    externalRef: String? = "CB-000123", _ change: (inout CustomerProfile) -> Void = { _ in }
) -> ValidationFailure? {
    var profile = validProfile()
    change(&profile)
    return CustomerValidator.validate(profile, externalRef: externalRef, today: today)
}
