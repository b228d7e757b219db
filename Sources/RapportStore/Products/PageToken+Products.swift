import RapportDomain

extension PageTokenCodec {
    /// The token for continuing the product list under `filter` after `cursor`.
    public func token(for cursor: ProductCursor, filter: ProductFilter) -> String {
        token(cursor, filters: filter.canonicalFilters)
    }

    /// The cursor `token` carries, checked against the filter it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token was not issued by this codec or
    ///   was issued for other filters.
    public func cursor(_ token: String, for filter: ProductFilter) throws -> ProductCursor {
        try cursor(token, ProductCursor.self, filters: filter.canonicalFilters) { Self.isWellFormedID($0.afterCode) }
    }
}

extension ProductFilter {
    /// The filters as a page token keeps them.
    var canonicalFilters: CanonicalFilters {
        var filters = CanonicalFilters(list: "products")
        filters.add("category", category?.rawValue)
        filters.add("retired", includeRetired ? "included" : nil)
        return filters
    }
}
