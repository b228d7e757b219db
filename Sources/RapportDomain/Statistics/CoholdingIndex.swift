/// The co-holding counts of one statistics snapshot laid out by product number, so that scoring a
/// candidate against each held product reads arrays instead of hashing pairs of strings.
///
/// Built once per snapshot (`RecommendationStatistics.init`); a request scores every eligible
/// product against every held one, and the string-keyed lookups of `CoholdingStatistics` were most
/// of the ranking's cost. Same counts, same arithmetic: `cosine` and `nextStepShare` return exactly
/// what `CoholdingStatistics.cosine` and its next-step share give for the same codes.
public struct CoholdingIndex: Sendable, Equatable {
    /// Every product code the counts mention, numbered by position.
    public let codes: [String]
    private let numbers: [String: Int]
    /// Holders per product number.
    private let holders: [Int]
    /// Customers holding both, `a * count + b`, symmetric; the diagonal is the product's holders.
    private let pairs: [Int]
    /// Customers who opened `to` after `from`, `from * count + to`.
    private let sequences: [Int]

    public init(_ statistics: CoholdingStatistics) {
        var mentioned = Set(statistics.holders.keys)
        for pair in statistics.pairs.keys { mentioned.formUnion([pair.first, pair.second]) }
        for pair in statistics.sequences.keys { mentioned.formUnion([pair.first, pair.second]) }
        codes = mentioned.sorted()
        numbers = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        let count = codes.count
        holders = codes.map { statistics.holders[$0, default: 0] }
        var pairs = [Int](repeating: 0, count: count * count)
        var sequences = [Int](repeating: 0, count: count * count)
        for a in 0..<count {
            for b in 0..<count {
                pairs[a * count + b] = statistics.coholders(codes[a], codes[b])
                sequences[a * count + b] = statistics.sequences[ProductPair(codes[a], codes[b]), default: 0]
            }
        }
        self.pairs = pairs
        self.sequences = sequences
    }

    /// The product's number, or nil when no count mentions it (every count of it is 0).
    public func number(of code: String) -> Int? {
        numbers[code]
    }

    /// Customers holding the product numbered `product`.
    public func holders(_ product: Int) -> Int {
        holders[product]
    }

    /// n(h, p) / sqrt(n(h) n(p)), as `CoholdingStatistics.cosine`; 0 when either has no holders.
    public func cosine(_ h: Int, _ p: Int) -> Double {
        let product = Double(holders[h]) * Double(holders[p])
        return product > 0 ? Double(pairs[h * codes.count + p]) / product.squareRoot() : 0
    }

    /// Of the customers holding `from`, the share who opened `to` after it; 0 when `from` has none.
    public func nextStepShare(from: Int, to: Int) -> Double {
        let held = holders[from]
        return held > 0 ? Double(sequences[from * codes.count + to]) / Double(held) : 0
    }
}
