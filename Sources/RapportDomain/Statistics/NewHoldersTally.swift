/// Counts many new customers' held products (an import's batch) the way `HeldProducts` and
/// `CoholdingDelta` would, without a set and a diff per customer: codes are numbered as they
/// first appear and counted in small matrices, which keeps a seed of 100,000 customers fast.
public struct NewHoldersTally: Sendable {
    private var numbers: [String: Int] = [:]
    private var codes: [String] = []
    private var holders: [Int] = []
    /// `together[i][j]`: customers holding both, counted once, at `i` the code seen first.
    private var together: [[Int]] = []
    /// `after[i][j]`: customers holding both who opened `j` strictly after `i`.
    private var after: [[Int]] = []

    public init() {}

    /// Counts one new customer's holdings.
    public mutating func add(_ holdings: [ProductHolding]) {
        let held = HeldProducts.openings(holdings).map { (number: number($0.code), opened: $0.opened) }
        for (position, a) in held.enumerated() {
            holders[a.number] += 1
            for b in held[(position + 1)...] {
                together[a.number][b.number] += 1
                guard let openedA = a.opened, let openedB = b.opened, openedA != openedB else { continue }
                if openedA < openedB { after[a.number][b.number] += 1 } else { after[b.number][a.number] += 1 }
            }
        }
    }

    private mutating func number(_ code: String) -> Int {
        if let number = numbers[code] { return number }
        let number = codes.count
        numbers[code] = number
        codes.append(code)
        holders.append(0)
        for row in together.indices { together[row].append(0) }
        for row in after.indices { after[row].append(0) }
        together.append(Array(repeating: 0, count: number + 1))
        after.append(Array(repeating: 0, count: number + 1))
        return number
    }

    /// The counts as a delta to apply.
    public var delta: CoholdingDelta {
        var delta = CoholdingDelta()
        for (i, code) in codes.enumerated() {
            delta.count(holders: code, holders[i])
            for (j, other) in codes.enumerated() {
                delta.count(pair: .unordered(code, other), together[i][j])
                delta.count(sequence: ProductPair(code, other), after[i][j])
            }
        }
        return delta
    }
}
