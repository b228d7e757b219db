/// Changes to the segment statistics, accumulated over one or more customers' writes and
/// applied at once; only counts that change appear.
public struct SegmentDelta: Sendable, Equatable {
    /// Change in each cell's number of customers.
    public private(set) var customers: [SegmentCell: Int] = [:]
    /// Change in each cell's holders of each product.
    public private(set) var holders: [SegmentCell: [String: Int]] = [:]

    public init() {}

    /// True when applying it would change nothing.
    public var isEmpty: Bool { customers.isEmpty && holders.isEmpty }

    /// Adds one customer's change from `old` to `new` (their cell and held product codes, as
    /// `HeldProducts.codes`); nil: no such customer, before a create or after a delete.
    public mutating func add(from old: (cell: SegmentCell, held: Set<String>)?, to new: (cell: SegmentCell, held: Set<String>)?) {
        if let old, let new, old.cell == new.cell {
            // Same cell: the size stays, only the products that came or went change.
            for code in new.held.subtracting(old.held) { bump(new.cell, code, by: 1) }
            for code in old.held.subtracting(new.held) { bump(old.cell, code, by: -1) }
            return
        }
        if let old {
            Self.bump(&customers, old.cell, by: -1)
            for code in old.held { bump(old.cell, code, by: -1) }
        }
        if let new {
            Self.bump(&customers, new.cell, by: 1)
            for code in new.held { bump(new.cell, code, by: 1) }
        }
    }

    /// Counts a new customer straight in from their holdings (every customer of an import),
    /// without building a set: held products are the same as `HeldProducts` takes.
    public mutating func add(newCustomerIn cell: SegmentCell, holdings: [ProductHolding]) {
        Self.bump(&customers, cell, by: 1)
        for held in HeldProducts.openings(holdings) { bump(cell, held.code, by: 1) }
    }

    /// Adds `change` to one cell's holders of `code`, dropping counts (and cells) back at 0.
    private mutating func bump(_ cell: SegmentCell, _ code: String, by change: Int) {
        guard change != 0 else { return }
        let total = (holders[cell]?[code] ?? 0) + change
        if total != 0 {
            holders[cell, default: [:]][code] = total
        } else if holders[cell]?.removeValue(forKey: code) != nil, holders[cell]?.isEmpty == true {
            holders[cell] = nil
        }
    }

    private static func bump<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key, by change: Int) {
        guard change != 0 else { return }
        let total = counts[key, default: 0] + change
        counts[key] = total == 0 ? nil : total
    }
}
