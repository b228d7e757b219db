import Testing
import RapportDomain

@Suite struct CoholdingIndexTests {
    /// A small deterministic generator (SplitMix64), so each seed's counts are the same every run.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Random counts over eight products, two of them only in pair or sequence counts.
    private static func randomStatistics(seed: UInt64) -> CoholdingStatistics {
        var generator = SplitMix(state: seed)
        let codes = ["A", "B", "C", "D", "E", "F", "PAIR_ONLY", "SEQUENCE_ONLY"]
        var statistics = CoholdingStatistics()
        for code in codes.prefix(6) where Bool.random(using: &generator) || code == "A" {
            statistics.holders[code] = Int.random(in: 1...1000, using: &generator)
        }
        for a in codes.dropLast() {
            for b in codes.dropLast() where a < b && Int.random(in: 0..<3, using: &generator) == 0 {
                statistics.pairs[.unordered(a, b)] = Int.random(in: 0...500, using: &generator)
            }
        }
        for a in codes {
            for b in codes where a != b && b != "PAIR_ONLY" && Int.random(in: 0..<3, using: &generator) == 0 {
                statistics.sequences[ProductPair(a, b)] = Int.random(in: 0...300, using: &generator)
            }
        }
        return statistics
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func givesExactlyWhatTheCountsGiveForEveryPairOfMentionedCodes(seed: UInt64) throws {
        let statistics = Self.randomStatistics(seed: seed)
        let index = CoholdingIndex(statistics)
        for h in index.codes {
            let hn = try #require(index.number(of: h))
            #expect(index.holders(hn) == statistics.holders[h, default: 0])
            for p in index.codes {
                let pn = try #require(index.number(of: p))
                #expect(index.cosine(hn, pn) == statistics.cosine(h, p), "cosine \(h) \(p)")
                let held = statistics.holders[h, default: 0]
                let share = held > 0 ? Double(statistics.sequences[ProductPair(h, p), default: 0]) / Double(held) : 0
                #expect(index.nextStepShare(from: hn, to: pn) == share, "next step \(h) → \(p)")
            }
        }
    }

    @Test func numbersEveryCodeAnyCountMentionsAndNoOther() throws {
        let statistics = CoholdingStatistics(
            holders: ["CURRENT": 8], pairs: [.unordered("CURRENT", "CARD"): 0], sequences: [ProductPair("LOAN", "CURRENT"): 1])
        let index = CoholdingIndex(statistics)
        #expect(index.codes == ["CARD", "CURRENT", "LOAN"])
        #expect(index.number(of: "MORTGAGE") == nil)
        #expect(index.cosine(try #require(index.number(of: "CARD")), try #require(index.number(of: "CURRENT"))) == 0)
    }

    @Test func statisticsKeepTheirIndexInStepWithTheirCounts() throws {
        var statistics = RecommendationStatistics(coholding: CoholdingStatistics(holders: ["CURRENT": 8]))
        statistics.coholding.holders["CARD"] = 2
        statistics.coholding.pairs[.unordered("CURRENT", "CARD")] = 2
        let index = statistics.coholdingIndex
        #expect(index.cosine(try #require(index.number(of: "CURRENT")), try #require(index.number(of: "CARD"))) == 0.5)
    }
}
