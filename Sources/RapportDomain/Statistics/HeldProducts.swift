/// What one customer contributes to the co-holding statistics: the products held, each
/// unordered pair of them, and each ordered pair acquired one after the other.
///
/// A holding is held while `closedOn` is unset; closed holdings are history and do not count
/// (a closing date in the future also counts as closed here, so the statistics never depend on
/// the day they are read). A product held twice counts once, from its earliest opening.
public struct HeldProducts: Sendable, Hashable {
    public private(set) var codes: Set<String> = []
    public private(set) var pairs: Set<ProductPair> = []
    /// `from → to` when `from` was opened strictly before `to`; holdings without an opening
    /// date have no known order, so they take no part here.
    public private(set) var sequences: Set<ProductPair> = []

    public init(_ holdings: [ProductHolding]) {
        var opened: [String: CalendarDate?] = [:]
        for holding in holdings where holding.closedOn == nil {
            let earlier = opened[holding.productCode] ?? holding.openedOn
            opened.updateValue(Self.earliest(earlier, holding.openedOn), forKey: holding.productCode)
        }
        codes = Set(opened.keys)
        // Sorted, so each unordered pair is visited once with its smaller code first.
        let held = opened.sorted { $0.key < $1.key }
        for (index, a) in held.enumerated() {
            for b in held[(index + 1)...] {
                pairs.insert(ProductPair(a.key, b.key))
                guard let openedA = a.value, let openedB = b.value, openedA != openedB else { continue }
                sequences.insert(openedA < openedB ? ProductPair(a.key, b.key) : ProductPair(b.key, a.key))
            }
        }
    }

    /// The earlier of two opening dates, an unknown date losing to a known one.
    private static func earliest(_ a: CalendarDate?, _ b: CalendarDate?) -> CalendarDate? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }
}
