import Foundation

/// A small deterministic generator (SplitMix64): the same seed gives the same demo data on every machine.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
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
        // The sum of twelve uniforms minus 6 is close enough to a standard normal for demo data.
        let normal = (0..<12).reduce(0.0) { sum, _ in sum + Double.random(in: 0..<1, using: &self) } - 6.0
        return median * exp(spread * normal)
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }
}
