import RapportDomain
import Testing

@Suite("Money display")
struct MoneyDisplayTests {
    @Test("Amounts use the currency's ISO 4217 exponent and comma grouping", arguments: [
        (Money(minorUnits: 1_250_000_00, currencyCode: "GBP"), "GBP 1,250,000.00"),
        (Money(minorUnits: 0, currencyCode: "GBP"), "GBP 0.00"),
        (Money(minorUnits: 5, currencyCode: "EUR"), "EUR 0.05"),
        (Money(minorUnits: 999, currencyCode: "USD"), "USD 9.99"),
        (Money(minorUnits: 100_000, currencyCode: "CNY"), "CNY 1,000.00"),
        (Money(minorUnits: 5_000_000, currencyCode: "JPY"), "JPY 5,000,000"),
        (Money(minorUnits: 1_500, currencyCode: "KWD"), "KWD 1.500"),
        (Money(minorUnits: 123, currencyCode: "XYZ"), "XYZ 1.23"),
        (Money(minorUnits: -1_234_56, currencyCode: "GBP"), "GBP -1,234.56"),
        (Money(minorUnits: Int64.min, currencyCode: "GBP"), "GBP -92,233,720,368,547,758.08"),
    ])
    func display(_ money: Money, _ expected: String) {
        #expect(money.displayString == expected)
    }

    @Test("Exponents default to 2")
    func exponents() {
        #expect(CurrencyExponent.exponent(for: "GBP") == 2)
        #expect(CurrencyExponent.exponent(for: "JPY") == 0)
        #expect(CurrencyExponent.exponent(for: "BHD") == 3)
        #expect(CurrencyExponent.exponent(for: "???") == 2)
    }
}
