import RapportDomain

extension CoholdingDelta {
    /// The change a new customer row makes.
    static func created(_ record: CustomerRecord) -> CoholdingDelta {
        changed(from: nil, to: record)
    }

    /// The change from one stored row of a customer to the next (nil: no row).
    static func changed(from old: CustomerRecord?, to new: CustomerRecord?) -> CoholdingDelta {
        var delta = CoholdingDelta()
        delta.add(from: old.map { HeldProducts($0.profile.products) }, to: new.map { HeldProducts($0.profile.products) })
        return delta
    }
}
