import Foundation
import RapportDomain

extension PageTokenCodec {
    /// The token for continuing `customerID`'s log under `filter` after `cursor`.
    public func token(for cursor: InteractionCursor, customerID: String, filter: InteractionFilter) -> String {
        token(cursor, filters: filter.canonicalFilters(customerID: customerID))
    }

    /// The cursor `token` carries, checked against the customer and filter it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token was not issued by this codec or
    ///   was issued for another customer or other filters.
    public func cursor(_ token: String, customerID: String, filter: InteractionFilter) throws -> InteractionCursor {
        try cursor(token, InteractionCursor.self, filters: filter.canonicalFilters(customerID: customerID)) {
            Self.isWellFormedID($0.id)
        }
    }

    /// The token for continuing the follow-up queue under `filter` after `cursor`.
    public func token(for cursor: FollowUpCursor, filter: FollowUpFilter) -> String {
        token(cursor, filters: filter.canonicalFilters)
    }

    /// The cursor `token` carries, checked against the filter it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token was not issued by this codec or
    ///   was issued for other filters.
    public func cursor(_ token: String, for filter: FollowUpFilter) throws -> FollowUpCursor {
        try cursor(token, FollowUpCursor.self, filters: filter.canonicalFilters) { Self.isWellFormedID($0.interactionID) }
    }
}

extension InteractionFilter {
    /// The customer and filters as a page token keeps them; sets in a fixed order, so
    /// the same filters in another order fit the same token.
    func canonicalFilters(customerID: String) -> CanonicalFilters {
        var filters = CanonicalFilters(list: "interactions")
        filters.add("customer", customerID)
        filters.add("from", occurredFrom.map(Self.canonicalTime))
        filters.add("before", occurredBefore.map(Self.canonicalTime))
        filters.add("channels", channels.isEmpty ? nil : channels.map(\.rawValue).sorted().joined(separator: ","))
        filters.add("kinds", kinds.isEmpty ? nil : kinds.map(\.rawValue).sorted().joined(separator: ","))
        return filters
    }

    /// The stored millisecond a bound compares at; differences below it do not change the list.
    private static func canonicalTime(_ date: Date) -> String {
        (try? StoredTime.millis(date)).map { String($0) } ?? "\(date.timeIntervalSince1970)s"
    }
}

extension FollowUpFilter {
    /// Empty strings mean "any", as nil does.
    var normalized: FollowUpFilter {
        FollowUpFilter(
            customerID: customerID.flatMap { $0.isEmpty ? nil : $0 }, branchID: branchID.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The filters as a page token keeps them.
    var canonicalFilters: CanonicalFilters {
        let filter = normalized
        var filters = CanonicalFilters(list: "followUps")
        filters.add("customer", filter.customerID)
        filters.add("branch", filter.branchID)
        return filters
    }
}
