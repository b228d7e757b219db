import Foundation

/// A small deterministic generator (SplitMix64): the same seed gives the same demo data on every machine.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for one purpose (`salt`) of one item (`index`) of a seed, so that
    /// adding draws to one stream never shifts what another produces.
    init(seed: UInt64, index: Int, salt: UInt64) {
        var mixer = SeededRandom(seed: (seed &* 1_000_003 &+ UInt64(truncatingIfNeeded: index)) ^ (salt &* 0xD6E8_FEB8_6659_FD93))
        self.init(seed: mixer.next())
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value from a roughly log-normal spread around `median`, for incomes and balances.
    mutating func logNormal(median: Double, spread: Double) -> Double {
        median * exp(spread * normal(mean: 0, deviation: 1))
    }

    /// A value from a roughly normal spread, for ages of life events.
    mutating func normal(mean: Double, deviation: Double) -> Double {
        // The sum of twelve uniforms minus 6 is close enough to a standard normal for demo data.
        var sum = -6.0
        for _ in 0..<12 { sum += unit() }
        return mean + deviation * sum
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }

    /// True with probability `probability` (0–1).
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniform value in `0..<1`: the top 53 bits of a draw, as many as a Double holds; written
    /// out because the generic `Double.random(in:using:)` dominated seeding time in debug builds.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `range`, without the generic `Int.random(in:using:)`'s cost.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + min(range.count - 1, Int(unit() * Double(range.count)))
    }

    /// One of `items`, each as likely as its weight; the first when no weight is positive.
    /// `items` must not be empty (callers pass fixed tables or check first).
    mutating func weighted<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + max(0, $1.1) }
        var target = unit() * total
        var chosen = items[0].0
        for (item, weight) in items where weight > 0 {
            chosen = item
            target -= weight
            if target < 0 { break }
        }
        return chosen
    }
}
