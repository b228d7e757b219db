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
        // Sorted, so each unordered pair is visited once with its smaller code first.
        let held = Self.openings(holdings).sorted { $0.code < $1.code }
        codes = Set(held.map(\.code))
        for (index, a) in held.enumerated() {
            for b in held[(index + 1)...] {
                pairs.insert(ProductPair(a.code, b.code))
                guard let openedA = a.opened, let openedB = b.opened, openedA != openedB else { continue }
                sequences.insert(openedA < openedB ? ProductPair(a.code, b.code) : ProductPair(b.code, a.code))
            }
        }
    }

    /// The codes of the open holdings (no `closedOn`), each once: what counts as held everywhere.
    public static func codes(of holdings: [ProductHolding]) -> Set<String> {
        Set(openings(holdings).map(\.code))
    }

    /// Each held product once (`closedOn` unset), with its earliest known opening date: the rule
    /// every co-holding count follows, `NewHoldersTally` included.
    /// A linear scan, not a dictionary: a customer holds a handful of products, and an import
    /// calls this for every customer it writes.
    static func openings(_ holdings: [ProductHolding]) -> [(code: String, opened: CalendarDate?)] {
        var held: [(code: String, opened: CalendarDate?)] = []
        for holding in holdings where holding.closedOn == nil {
            if let at = held.firstIndex(where: { $0.code == holding.productCode }) {
                held[at].opened = Self.earliest(held[at].opened, holding.openedOn)
            } else {
                held.append((holding.productCode, holding.openedOn))
            }
        }
        return held
    }

    /// The earlier of two opening dates, an unknown date losing to a known one.
    private static func earliest(_ a: CalendarDate?, _ b: CalendarDate?) -> CalendarDate? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }
}
