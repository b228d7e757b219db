import RapportDomain
import Testing

@Suite("Validation: products")
struct ProductValidationTests {
    /// The valid profile with its third product replaced by `product`.
    private func failure(third product: ProductHolding) -> ValidationFailure? {
        RapportDomainTests.failure { $0.products[2] = product }
    }

    @Test("Product codes are 1–64 of [A-Z0-9_]", arguments: [
        ("CURRENT_ACCOUNT", true), ("ISA2024", true), ("X", true), (repeated("A", 64), true),
        ("", false), ("current_account", false), ("CARD-GOLD", false), ("CARD GOLD", false), (repeated("A", 65), false),
        ("ÉPARGNE", false),
    ])
    func productCode(_ code: String, _ valid: Bool) {
        let result = failure(third: ProductHolding(productCode: code, openedOn: day(2020, 1, 1)))
        #expect(valid ? result == nil : result?.field == "profile.products[2].product_code")
    }

    @Test("opened_on is required, a real date, not after today", arguments: [
        (day(2024, 2, 29), true), (today, true), (day(1960, 1, 1), true),
        (day(2023, 2, 29), false), (today.adding(days: 1), false), (day(2024, 6, 31), false),
    ])
    func openedOn(_ date: CalendarDate, _ valid: Bool) {
        let result = failure(third: ProductHolding(productCode: "SAVER", openedOn: date))
        #expect(valid ? result == nil : result?.field == "profile.products[2].opened_on")
    }

    @Test("A missing opened_on is refused")
    func openedOnRequired() {
        #expect(failure(third: ProductHolding(productCode: "SAVER")) == ValidationFailure(field: "profile.products[2].opened_on", reason: "is required"))
    }

    @Test("closed_on is optional, a real date, not after today and not before opened_on", arguments: [
        (CalendarDate?.none, true), (day(2020, 1, 1), true), (day(2022, 5, 5), true), (today, true),
        (day(2019, 12, 31), false), (today.adding(days: 1), false), (day(2021, 2, 29), false),
    ])
    func closedOn(_ date: CalendarDate?, _ valid: Bool) {
        let result = failure(third: ProductHolding(productCode: "SAVER", openedOn: day(2020, 1, 1), closedOn: date))
        #expect(valid ? result == nil : result?.field == "profile.products[2].closed_on")
    }

    @Test("closed_on before opened_on names both dates")
    func closedBeforeOpenedReason() {
        let result = failure(third: ProductHolding(productCode: "SAVER", openedOn: day(2020, 1, 1), closedOn: day(2019, 12, 31)))
        #expect(result?.reason == "must not be before opened_on (2019-12-31 is before 2020-01-01)")
    }

    @Test("No products is fine")
    func noProducts() {
        #expect(RapportDomainTests.failure { $0.products = [] } == nil)
    }
}

@Suite("Validation: how many holdings a profile may list")
struct HoldingsLimitTests {
    /// `count` distinct, valid holdings.
    private func holdings(_ count: Int) -> [ProductHolding] {
        (0..<count).map { ProductHolding(productCode: "P\($0)", openedOn: day(2020, 1, 1)) }
    }

    @Test("The limit is accepted")
    func atTheLimit() {
        #expect(CustomerValidator.maxProducts == 100)
        #expect(failure { $0.products = holdings(CustomerValidator.maxProducts) } == nil)
    }

    @Test("One beyond the limit is refused, naming the first holding beyond it")
    func beyondTheLimit() {
        let result = failure { $0.products = holdings(CustomerValidator.maxProducts + 1) }
        #expect(result?.field == "profile.products[100]")
        #expect(result?.reason.contains("limit of 100 holdings") == true)
    }

    @Test("The count is checked before any holding, so a huge list costs one comparison")
    func countFirst() {
        // Every holding is malformed: the count, not the first bad code, is what is reported.
        let result = failure { $0.products = Array(repeating: ProductHolding(productCode: "bad code"), count: 5000) }
        #expect(result?.field == "profile.products[100]")
    }
}
