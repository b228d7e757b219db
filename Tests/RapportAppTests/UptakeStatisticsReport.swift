import Foundation
import RapportApp
import RapportDomain
import Testing

/// Prints the figures of docs/synthetic-bank.md for a seed-1 book of RAPPORT_UPTAKE_STATS customers
/// (e.g. 100000); skipped otherwise, as it takes a while and asserts nothing new.
@Suite("Uptake statistics for the documentation")
struct UptakeStatisticsReport {
    static let count = Int(ProcessInfo.processInfo.environment["RAPPORT_UPTAKE_STATS"] ?? "") ?? 0

    @Test(.enabled(if: count > 0)) func printTheDocumentedFigures() {
        let sample = UptakeSample(seed: 1, count: Self.count, today: CalendarDate(year: 2026, month: 11, day: 23))
        var lines = ["| Product | Share ever held |", "|---|---:|"]
        for product in SeedCatalog.products {
            lines.append("| \(product.code) | \(percent(sample.share(product.code))) |")
        }
        lines += ["", "| Group | Customers | Mean products |", "|---|---:|---:|"]
        let wealth: Set<String> = ["CAUTIOUS_FUND", "INVESTMENT_FUND", "STOCKS_AND_SHARES_ISA", "GLOBAL_EQUITY_FUND", "DISCRETIONARY_PORTFOLIO"]
        var wealthLines = ["", "| Tier | Holds a fund or portfolio |", "|---|---:|"]
        for tier in ValueTier.allCases {
            let group = sample.members.filter { $0.tier == tier }
            lines.append("| tier \(tier.rawValue) | \(group.count) | \(fixed(sample.meanProducts { $0.tier == tier })) |")
            let holders = group.filter { !$0.codes.isDisjoint(with: wealth) }.count
            wealthLines.append("| \(tier.rawValue) | \(percent(Double(holders) / Double(max(1, group.count)))) |")
        }
        for (label, ages) in [("18–24", 18..<25), ("25–39", 25..<40), ("40–49", 40..<50), ("50–64", 50..<65), ("65+", 65..<200)] {
            let size = sample.members.filter { ages.contains($0.age) }.count
            lines.append("| age \(label) | \(size) | \(fixed(sample.meanProducts { ages.contains($0.age) })) |")
        }
        lines += wealthLines
        lines += ["", "| A | B | P(B) | P(B given A) | Lift |", "|---|---|---:|---:|---:|"]
        let mortgages: Set<String> = ["MORTGAGE", "MORTGAGE_FIXED_5Y", "MORTGAGE_TRACKER"]
        let pairs: [(Set<String>, String)] = [
            (mortgages, "HOME_INSURANCE"), (mortgages, "LIFE_INSURANCE"), (["CURRENT_ACCOUNT"], "CREDIT_CARD"),
            (["STUDENT_ACCOUNT"], "CREDIT_CARD"), (["PREMIUM_CURRENT_ACCOUNT"], "CREDIT_CARD_PLATINUM"),
            (["SAVINGS_ACCOUNT"], "CASH_ISA"), (["SAVINGS_ACCOUNT"], "FIXED_TERM_DEPOSIT_1Y"), (["SAVINGS_ACCOUNT"], "REGULAR_SAVER"),
            (["CASH_ISA"], "STOCKS_AND_SHARES_ISA"), (["INVESTMENT_FUND"], "STOCKS_AND_SHARES_ISA"),
            (["INVESTMENT_FUND"], "GLOBAL_EQUITY_FUND"), (["CAUTIOUS_FUND"], "INVESTMENT_FUND"),
            (["DISCRETIONARY_PORTFOLIO"], "GLOBAL_EQUITY_FUND"), (["LIFE_INSURANCE"], "INCOME_PROTECTION"),
            (["CREDIT_CARD"], "PERSONAL_LOAN"), (["INTERNATIONAL_PAYMENTS"], "CAR_LOAN"), (["TRAVEL_INSURANCE"], "CAR_LOAN"),
        ]
        for (family, b) in pairs {
            let holders = sample.members.filter { !$0.codes.isDisjoint(with: family) }
            let name = family == mortgages ? "any mortgage" : family.sorted().joined()
            lines.append("| \(name) | \(b) | \(percent(sample.share(b))) | \(percent(sample.share(b, among: holders))) | "
                + "\(fixed(sample.lift(anyOf: family, b))) |")
        }
        print(lines.joined(separator: "\n"))
    }

    private func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    private func fixed(_ value: Double) -> String { String(format: "%.2f", value) }
}
