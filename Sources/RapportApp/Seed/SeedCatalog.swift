import RapportDomain

/// The retail-bank product catalog `rapportd seed` installs: the codes the synthetic customers
/// hold and are offered, with plausible eligibility (sterling amounts, as the synthetic book's).
public enum SeedCatalog {
    /// The products, in catalog order.
    public static let products: [Product] = accounts + savings + lending + investments + protection + services

    /// The products by code, for the uptake model's many look-ups.
    static let byCode: [String: Product] = Dictionary(products.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    private static func gbp(_ pounds: Int64) -> Money { Money(minorUnits: pounds * 100, currencyCode: "GBP") }

    private static let adult = EligibilityRules(minAge: 18)
    private static let verifiedAdult = EligibilityRules(minAge: 18, requiredKYCStatus: .verified)

    private static let accounts = [
        Product(
            code: "CURRENT_ACCOUNT", name: "Everyday Current Account",
            description: "Day-to-day account with a debit card and arranged overdraft up to GBP 1,500 at 39.9% EAR. No monthly fee.",
            category: .currentAccount, eligibility: adult, declineCooldownDays: 90, businessWeight: 20),
        Product(
            code: "PREMIUM_CURRENT_ACCOUNT", name: "Premier Current Account",
            description: "Current account with worldwide travel insurance, airport lounges and a relationship manager. GBP 25 a month.",
            category: .currentAccount,
            eligibility: EligibilityRules(minAge: 18, minAnnualIncome: gbp(75_000), allowedValueTiers: [.affluent, .privateBanking]),
            declineCooldownDays: 180, businessWeight: 60),
        Product(
            code: "STUDENT_ACCOUNT", name: "Student Current Account",
            description: "Interest-free arranged overdraft up to GBP 2,000 while studying. No monthly fee.",
            category: .currentAccount, eligibility: EligibilityRules(minAge: 17, maxAge: 25), declineCooldownDays: 180, businessWeight: 15),
    ]

    private static let savings = [
        Product(
            code: "SAVINGS_ACCOUNT", name: "Easy Access Saver",
            description: "Variable 3.1% AER, withdrawals at any time. Protected by the FSCS up to GBP 85,000.",
            category: .deposit, eligibility: EligibilityRules(minAge: 16), declineCooldownDays: 60, businessWeight: 30),
        Product(
            code: "CASH_ISA", name: "Cash ISA",
            description: "Tax-free interest at a variable 3.6% AER on up to GBP 20,000 a tax year. UK residents only.",
            category: .deposit, eligibility: adult, declineCooldownDays: 90, businessWeight: 35),
        Product(
            code: "REGULAR_SAVER", name: "Regular Saver",
            description: "Fixed 5.0% AER for 12 months on GBP 25–250 paid in monthly; needs an Everyday or Premier current account.",
            category: .deposit, eligibility: adult, declineCooldownDays: 90, businessWeight: 25),
        Product(
            code: "FIXED_TERM_DEPOSIT_1Y", name: "One-Year Fixed Term Deposit",
            description: "Fixed 4.2% AER for one year from GBP 1,000; no withdrawals before maturity.",
            category: .deposit, eligibility: EligibilityRules(minAge: 18, minAssets: gbp(1_000)), declineCooldownDays: 90, businessWeight: 30),
    ]

    private static let lending = [
        Product(
            code: "CREDIT_CARD", name: "Classic Credit Card",
            description: "Representative 24.9% APR variable, no annual fee, 0% on purchases for 12 months. Subject to status.",
            category: .card, eligibility: EligibilityRules(minAge: 18, minAnnualIncome: gbp(12_000), requiredKYCStatus: .verified),
            declineCooldownDays: 90, businessWeight: 40),
        Product(
            code: "CREDIT_CARD_PLATINUM", name: "Platinum Rewards Card",
            description: "Representative 34.9% APR variable including a GBP 195 annual fee; 1% cashback, travel insurance. Subject to status.",
            category: .card,
            eligibility: EligibilityRules(
                minAge: 21, minAnnualIncome: gbp(60_000), allowedValueTiers: [.affluent, .privateBanking], requiredKYCStatus: .verified),
            declineCooldownDays: 180, businessWeight: 55),
        Product(
            code: "PERSONAL_LOAN", name: "Personal Loan",
            description: "GBP 1,000–25,000 over 1–7 years, representative 6.4% APR fixed. Missed payments harm your credit score.",
            category: .personalLoan,
            eligibility: EligibilityRules(minAge: 18, maxAge: 75, minAnnualIncome: gbp(15_000), requiredKYCStatus: .verified),
            declineCooldownDays: 120, businessWeight: 45),
        Product(
            code: "CAR_LOAN", name: "Car Finance Loan",
            description: "GBP 5,000–50,000 over 2–5 years for a vehicle, representative 7.9% APR fixed.",
            category: .personalLoan,
            eligibility: EligibilityRules(minAge: 21, maxAge: 75, minAnnualIncome: gbp(20_000), requiredKYCStatus: .verified),
            declineCooldownDays: 180, businessWeight: 35),
        mortgage("MORTGAGE", "Standard Variable Rate Mortgage", "Variable 7.24% with no early repayment charges. Your home may be repossessed if you do not keep up repayments.", weight: 30),
        mortgage("MORTGAGE_FIXED_5Y", "Five-Year Fixed Mortgage", "Fixed 4.39% for five years, up to 90% loan to value, GBP 999 fee; early repayment charges apply. Your home may be repossessed if you do not keep up repayments.", weight: 50),
        mortgage("MORTGAGE_TRACKER", "Base Rate Tracker Mortgage", "Bank Rate plus 0.79% for two years, GBP 999 fee, then the standard variable rate. Your home may be repossessed if you do not keep up repayments.", weight: 40),
    ]

    /// A mortgage: ages 18–70 (the term must end by retirement), verified KYC and a minimum income.
    private static func mortgage(_ code: String, _ name: String, _ description: String, weight: Int) -> Product {
        Product(
            code: code, name: name, description: description, category: .mortgage,
            eligibility: EligibilityRules(minAge: 18, maxAge: 70, minAnnualIncome: gbp(25_000), requiredKYCStatus: .verified),
            declineCooldownDays: 365, businessWeight: weight)
    }

    private static let investments = [
        fund("CAUTIOUS_FUND", "Cautious Managed Fund", "Mostly bonds, 0.65% a year ongoing charge. Capital at risk; the value can fall.", rating: .moderatelyConservative, assets: 1_000, weight: 30),
        fund("INVESTMENT_FUND", "Balanced Managed Fund", "About 60% shares and 40% bonds, 0.75% a year ongoing charge. Capital at risk.", rating: .moderate, assets: 5_000, weight: 45),
        fund("STOCKS_AND_SHARES_ISA", "Stocks and Shares ISA", "Tax-free investing in a choice of funds up to GBP 20,000 a tax year; 0.25% platform fee. Capital at risk.", rating: .moderate, assets: 5_000, weight: 50),
        fund("GLOBAL_EQUITY_FUND", "Global Equity Growth Fund", "Shares worldwide, 0.85% a year ongoing charge; may fall sharply in value. Capital at risk.", rating: .aggressive, assets: 25_000, weight: 35),
        Product(
            code: "DISCRETIONARY_PORTFOLIO", name: "Discretionary Portfolio Management",
            description: "A portfolio managed for you from GBP 250,000, 1.0% a year management fee. Capital at risk.",
            category: .wealth,
            eligibility: EligibilityRules(
                minAge: 18, minAssets: gbp(250_000), allowedValueTiers: [.privateBanking], requiredKYCStatus: .verified,
                riskRating: .moderatelyAggressive),
            declineCooldownDays: 180, businessWeight: 70),
    ]

    /// A fund: adults with verified KYC, a risk level at least the fund's rating, and assets to invest.
    private static func fund(_ code: String, _ name: String, _ description: String, rating: RiskLevel, assets: Int64, weight: Int) -> Product {
        Product(
            code: code, name: name, description: description, category: .wealth,
            eligibility: EligibilityRules(minAge: 18, minAssets: gbp(assets), requiredKYCStatus: .verified, riskRating: rating),
            declineCooldownDays: 120, businessWeight: weight)
    }

    private static let protection = [
        Product(
            code: "HOME_INSURANCE", name: "Home Insurance",
            description: "Buildings and contents cover from GBP 18 a month, GBP 100 excess.",
            category: .insurance, eligibility: adult, declineCooldownDays: 120, businessWeight: 30),
        Product(
            code: "LIFE_INSURANCE", name: "Term Life Insurance",
            description: "A fixed sum paid if you die within the term; premiums fixed from GBP 8 a month. No cash value.",
            category: .insurance, eligibility: EligibilityRules(minAge: 18, maxAge: 65), declineCooldownDays: 180, businessWeight: 35),
        Product(
            code: "TRAVEL_INSURANCE", name: "Annual Travel Insurance",
            description: "Worldwide multi-trip cover for GBP 79 a year, up to 31 days a trip.",
            category: .insurance, eligibility: EligibilityRules(minAge: 18, maxAge: 79), declineCooldownDays: 90, businessWeight: 20),
        Product(
            code: "INCOME_PROTECTION", name: "Income Protection",
            description: "Pays up to 60% of your income if illness or injury stops you working, after a 13-week wait.",
            category: .insurance, eligibility: EligibilityRules(minAge: 18, maxAge: 59, minAnnualIncome: gbp(20_000)),
            declineCooldownDays: 180, businessWeight: 25),
        Product(
            code: "PERSONAL_PENSION", name: "Personal Pension",
            description: "Tax relief on contributions, invested in a balanced fund, 0.45% a year. Capital at risk; money locked until 57.",
            category: .pension, eligibility: EligibilityRules(minAge: 18, maxAge: 74, requiredKYCStatus: .verified, riskRating: .moderatelyConservative),
            declineCooldownDays: 180, businessWeight: 40),
    ]

    private static let services = [
        Product(
            code: "PAYROLL_ACCOUNT", name: "Salary Plus",
            description: "Have your salary paid in: fee-free overdraft buffer of GBP 250 and salary up to two days early.",
            category: .payroll, eligibility: adult, declineCooldownDays: 90, businessWeight: 25),
        Product(
            code: "INTERNATIONAL_PAYMENTS", name: "International Payments",
            description: "Send money to 40 countries in 30 currencies, GBP 5 a payment, the exchange rate shown before you pay.",
            category: .payroll, eligibility: verifiedAdult, declineCooldownDays: 60, businessWeight: 15),
    ]
}

extension Seeder {
    /// Installs `SeedCatalog` by upsert: a product already as defined is left untouched (the
    /// store writes no new revision), so seeding again keeps one copy. Returns how many were new.
    public func installCatalog() async throws -> Int {
        var created = 0
        for product in SeedCatalog.products where try await store.upsertProduct(product, expectedEtag: nil).created {
            created += 1
        }
        return created
    }
}
