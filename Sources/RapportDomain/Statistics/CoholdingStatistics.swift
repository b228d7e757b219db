/// The co-holding statistics across all customers: holders per product, per unordered pair, and
/// how often one product was acquired after another.
public struct CoholdingStatistics: Sendable, Equatable {
    /// Customers holding each product.
    public var holders: [String: Int]
    /// Customers holding both products of each unordered pair (`first < second`).
    public var pairs: [ProductPair: Int]
    /// Customers who opened `second` after `first` and hold both.
    public var sequences: [ProductPair: Int]

    public init(holders: [String: Int] = [:], pairs: [ProductPair: Int] = [:], sequences: [ProductPair: Int] = [:]) {
        self.holders = holders
        self.pairs = pairs
        self.sequences = sequences
    }

    /// Customers holding both `a` and `b` (all of `a`'s holders when they are the same product).
    public func coholders(_ a: String, _ b: String) -> Int {
        a == b ? holders[a, default: 0] : pairs[.unordered(a, b), default: 0]
    }

    /// n(h, p) / sqrt(n(h) n(p)); 0 when either product has no holders.
    public func cosine(_ h: String, _ p: String) -> Double {
        let product = Double(holders[h, default: 0]) * Double(holders[p, default: 0])
        return product > 0 ? Double(coholders(h, p)) / product.squareRoot() : 0
    }

    /// P(p | h) = n(h, p) / n(h): the share of `h`'s holders who also hold `p`; 0 when `h` has none.
    public func probability(of p: String, given h: String) -> Double {
        let held = holders[h, default: 0]
        return held > 0 ? Double(coholders(h, p)) / Double(held) : 0
    }
}
