import Foundation
import RapportApp
import RapportDomain
import RapportStore
import Testing

@Suite("Seeding the product catalog")
struct SeedCatalogTests {
    private let today = CalendarDate(year: 2025, month: 6, day: 1)

    private func product(_ code: String) throws -> Product {
        try #require(SeedCatalog.products.first { $0.code == code })
    }

    @Test func theCatalogIsValidUniqueAndCoversEveryCategory() {
        let products = SeedCatalog.products
        #expect((20...30).contains(products.count))
        #expect(Set(products.map(\.code)).count == products.count)
        for product in products {
            #expect(ProductValidator.validate(product) == nil, "\(product.code)")
            #expect(!product.description.isEmpty, "\(product.code) must say what it is")
        }
        #expect(Set(products.map(\.category)) == Set(ProductCategory.allCases))
    }

    /// Every product code the synthetic customers hold or are offered is in the catalog.
    @Test func coversTheCodesOfTheSyntheticBook() {
        let codes = Set(SeedCatalog.products.map(\.code))
        let held = [
            "CURRENT_ACCOUNT", "PREMIUM_CURRENT_ACCOUNT", "CREDIT_CARD", "SAVINGS_ACCOUNT", "PERSONAL_LOAN", "MORTGAGE",
            "MORTGAGE_FIXED_5Y", "CASH_ISA", "HOME_INSURANCE", "LIFE_INSURANCE", "TRAVEL_INSURANCE", "INVESTMENT_FUND",
            "STOCKS_AND_SHARES_ISA", "DISCRETIONARY_PORTFOLIO",
        ]
        #expect(Set(held).subtracting(codes).isEmpty)
    }

    @Test func eligibilityIsPlausible() throws {
        let affluent = EligibilitySubject(
            dateOfBirth: CalendarDate(year: 1980, month: 1, day: 1), annualIncome: Money(minorUnits: 90_000_00, currencyCode: "GBP"),
            assets: Money(minorUnits: 60_000_00, currencyCode: "GBP"), valueTier: .affluent, kycStatus: .verified, riskLevel: .moderate)
        #expect(ProductEligibility.isEligible(try product("CREDIT_CARD_PLATINUM"), for: affluent, on: today))
        #expect(ProductEligibility.isEligible(try product("INVESTMENT_FUND"), for: affluent, on: today))
        #expect(ProductEligibility.isEligible(try product("MORTGAGE_FIXED_5Y"), for: affluent, on: today))

        var mass = affluent
        mass.valueTier = .mass
        #expect(
            ProductEligibility.reasons(try product("CREDIT_CARD_PLATINUM"), for: mass, on: today).map(\.code) == [.valueTierNotAllowed])
        var retired = affluent
        retired.dateOfBirth = CalendarDate(year: 1950, month: 1, day: 1)
        #expect(ProductEligibility.reasons(try product("MORTGAGE"), for: retired, on: today).map(\.code) == [.tooOld])
        #expect(
            ProductEligibility.reasons(try product("GLOBAL_EQUITY_FUND"), for: affluent, on: today).map(\.code) == [.riskLevelTooLow])
        var unverified = affluent
        unverified.kycStatus = .pending
        #expect(ProductEligibility.reasons(try product("CAUTIOUS_FUND"), for: unverified, on: today).map(\.code) == [.kycStatusNotMet])
    }

    @Test func installingTwiceKeepsOneCopyAndOneRevision() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-catalog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory))
        let seeder = Seeder(store: store, policy: .defaults, seed: 1)
        #expect(try await seeder.installCatalog() == SeedCatalog.products.count)
        #expect(try await seeder.installCatalog() == 0)
        let listed = try await store.listProducts(ProductFilter(includeRetired: true), pageSize: 100, after: nil)
        #expect(listed.products.count == SeedCatalog.products.count)
        #expect(listed.products.allSatisfy { $0.revision == 1 && $0.active })
        #expect(try await store.productHistory(code: "CURRENT_ACCOUNT").count == 1)
        try store.close()
    }
}
