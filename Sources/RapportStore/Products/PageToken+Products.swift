import RapportDomain

extension PageToken {
    /// The token for continuing the product list under `filter` after `cursor`.
    public init(cursor: ProductCursor, filter: ProductFilter) {
        self.init(cursor: cursor, filters: filter.canonicalFilters)
    }

    /// The cursor this token carries, checked against the filter it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token is malformed or was issued for other filters.
    public func cursor(for filter: ProductFilter) throws -> ProductCursor {
        try cursor(ProductCursor.self, filters: filter.canonicalFilters) { Self.isWellFormedID($0.afterCode) }
    }
}

extension ProductFilter {
    /// The filters as a page token fingerprints them.
    var canonicalFilters: CanonicalFilters {
        var filters = CanonicalFilters(list: "products")
        filters.add("category", category?.rawValue)
        filters.add("retired", includeRetired ? "included" : nil)
        return filters
    }
}
