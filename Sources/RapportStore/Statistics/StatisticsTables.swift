import GRDB
import RapportDomain

/// The one place customer writes keep the recommendation statistics (co-holding and segments)
/// up to date, inside the writer's transaction, so that no write path updates one table and
/// forgets another.
enum StatisticsTables {
    /// A customer row inserted (`old` nil), replaced, or deleted (`new` nil).
    ///
    /// Costs nothing when neither the held products nor the segment cell changed (an update of
    /// a phone number), and skips the co-holding tables when only the cell did.
    static func customerChanged(from old: CustomerRecord?, to new: CustomerRecord?, _ db: Database) throws {
        let productsChanged = old?.profile.products != new?.profile.products
        let oldCell = old.map { SegmentCell($0) }, newCell = new.map { SegmentCell($0) }
        guard productsChanged || oldCell != newCell else { return }
        let oldHeld = old.map { HeldProducts($0.profile.products) }
        let newHeld = new.map { HeldProducts($0.profile.products) }
        if productsChanged {
            var coholding = CoholdingDelta()
            coholding.add(from: oldHeld, to: newHeld)
            try CoholdingTables.applyAmongCatalog(coholding, db)
        }
        var segments = SegmentDelta()
        segments.add(from: member(oldCell, oldHeld), to: member(newCell, newHeld))
        try SegmentTables.apply(segments, db)
    }

    /// What a customer row adds to the segment counts; nil for no row.
    private static func member(_ cell: SegmentCell?, _ held: HeldProducts?) -> (cell: SegmentCell, held: Set<String>)? {
        guard let cell, let held else { return nil }
        return (cell, held.codes)
    }

    /// A re-segmentation that changed the stored value tier of `customer` (as stored before it)
    /// to `tier`: the profile stays, so co-holding cannot change, and the customer moves to the
    /// cell of the same cohort under the new tier, taking their products along.
    static func tierChanged(of customer: Customer, to tier: ValueTier, _ db: Database) throws {
        let old = SegmentCell(customer)
        var new = old
        new.valueTier = tier
        let held = HeldProducts.codes(of: customer.profile.products)
        var segments = SegmentDelta()
        segments.add(from: (old, held), to: (new, held))
        try SegmentTables.apply(segments, db)
    }

    /// Many new customers (an import's batch), counted as they are inserted and applied once:
    /// a seed's thousands of customers touch a few hundred counts, each written once.
    struct NewCustomers {
        private var holders = NewHoldersTally()
        private var segments = SegmentDelta()

        /// Counts one inserted row.
        mutating func add(_ record: CustomerRecord) {
            holders.add(record.profile.products)
            segments.add(newCustomerIn: SegmentCell(record), holdings: record.profile.products)
        }

        /// Writes the counts, in the transaction that inserted the rows.
        func apply(_ db: Database) throws {
            try CoholdingTables.applyAmongCatalog(holders.delta, db)
            try SegmentTables.apply(segments, db)
        }
    }
}
