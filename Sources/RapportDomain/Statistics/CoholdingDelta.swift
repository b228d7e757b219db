/// Changes to the co-holding statistics, accumulated over one or more customers' writes and
/// applied at once; only counts that change appear.
public struct CoholdingDelta: Sendable, Equatable {
    public private(set) var holders: [String: Int] = [:]
    public private(set) var pairs: [ProductPair: Int] = [:]
    public private(set) var sequences: [ProductPair: Int] = [:]

    public init() {}

    /// True when applying it would change nothing.
    public var isEmpty: Bool { holders.isEmpty && pairs.isEmpty && sequences.isEmpty }

    /// Adds one customer's change from `old` to `new` held products (nil: no such customer,
    /// before a create or after a delete).
    public mutating func add(from old: HeldProducts?, to new: HeldProducts?) {
        // A new customer (every customer of an import) has nothing to diff against: count
        // straight in, without building and subtracting empty sets.
        if old == nil, let new {
            for code in new.codes { Self.bump(&holders, code, by: 1) }
            for pair in new.pairs { Self.bump(&pairs, pair, by: 1) }
            for pair in new.sequences { Self.bump(&sequences, pair, by: 1) }
            return
        }
        let old = old ?? HeldProducts([])
        let new = new ?? HeldProducts([])
        Self.add(old.codes, new.codes, into: &holders)
        Self.add(old.pairs, new.pairs, into: &pairs)
        Self.add(old.sequences, new.sequences, into: &sequences)
    }

    /// +1 for each key only in `new`, -1 for each only in `old`; keys whose total returns to 0
    /// are dropped, so nothing is written for them.
    private static func add<Key: Hashable>(_ old: Set<Key>, _ new: Set<Key>, into counts: inout [Key: Int]) {
        for key in new.subtracting(old) { bump(&counts, key, by: 1) }
        for key in old.subtracting(new) { bump(&counts, key, by: -1) }
    }

    /// This delta with pairs and sequences kept only where both codes are in `known` (the
    /// catalog's codes); holder counts are kept for every code.
    ///
    /// Why: pairs grow with the square of a customer's holdings, and codes outside the catalog
    /// can never be recommended, so counting their pairs only costs the writer time and rows.
    public func pairedOnly(among known: Set<String>) -> CoholdingDelta {
        var kept = self
        kept.pairs = pairs.filter { known.contains($0.key.first) && known.contains($0.key.second) }
        kept.sequences = sequences.filter { known.contains($0.key.first) && known.contains($0.key.second) }
        return kept
    }

    /// Adds the pairs and sequences between `code` and the other `known` codes of one customer's
    /// `held` products: what a customer contributes once `code` joins the catalog.
    public mutating func addPairs(of code: String, in held: HeldProducts, among known: Set<String>) {
        guard held.codes.contains(code) else { return }
        for pair in held.pairs where (pair.first == code || pair.second == code)
            && known.contains(pair.first) && known.contains(pair.second) {
            Self.bump(&pairs, pair, by: 1)
        }
        for pair in held.sequences where (pair.first == code || pair.second == code)
            && known.contains(pair.first) && known.contains(pair.second) {
            Self.bump(&sequences, pair, by: 1)
        }
    }

    /// Adds counts made elsewhere (`NewHoldersTally`); zeros add nothing.
    mutating func count(holders code: String, _ change: Int) { Self.bump(&holders, code, by: change) }
    mutating func count(pair: ProductPair, _ change: Int) { Self.bump(&pairs, pair, by: change) }
    mutating func count(sequence: ProductPair, _ change: Int) { Self.bump(&sequences, sequence, by: change) }

    private static func bump<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key, by change: Int) {
        guard change != 0 else { return }
        let total = counts[key, default: 0] + change
        counts[key] = total == 0 ? nil : total
    }
}
