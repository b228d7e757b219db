import Testing
import RapportDomain

@Suite struct CoholdingStatisticsTests {
    /// 8 hold CURRENT, 2 hold CARD, 2 hold both; nobody holds LOAN.
    private let statistics = CoholdingStatistics(
        holders: ["CURRENT": 8, "CARD": 2], pairs: [.unordered("CURRENT", "CARD"): 2])

    @Test func cosineIsPairHoldersOverTheRootOfBothProductsHolders() {
        // 2 / sqrt(8 × 2) = 2 / 4
        #expect(statistics.cosine("CURRENT", "CARD") == 0.5)
        #expect(statistics.cosine("CARD", "CURRENT") == 0.5)
        #expect(statistics.cosine("CARD", "CARD") == 1)
        #expect(statistics.cosine("CURRENT", "LOAN") == 0)
    }

    @Test func probabilityIsPairHoldersOverTheGivenProductsHolders() {
        #expect(statistics.probability(of: "CARD", given: "CURRENT") == 0.25)
        #expect(statistics.probability(of: "CURRENT", given: "CARD") == 1)
        #expect(statistics.probability(of: "CARD", given: "LOAN") == 0)
    }
}
