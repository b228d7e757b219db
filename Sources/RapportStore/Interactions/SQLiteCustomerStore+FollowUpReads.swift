import RapportDomain

extension SQLiteCustomerStore {
    /// One page of the follow-up queue, earliest due first (due_at, then interaction id).
    public func followUps(_ filter: FollowUpFilter, pageSize: Int, after cursor: FollowUpCursor?) async throws -> FollowUpPage {
        try await mappingErrors {
            let size = Self.clampedPageSize(pageSize)
            // One extra row says whether another page follows, so the last page has no cursor.
            let read = FollowUpQueueRead(filter: filter, after: cursor, limit: size + 1)
            let items = try await asyncRead { db in try read.fetchAll(db) }
            let page = Array(items.prefix(size))
            guard items.count > size, let last = page.last else {
                return FollowUpPage(items: page, next: nil)
            }
            let next = FollowUpCursor(dueAtMillis: try StoredTime.millis(last.dueAt), interactionID: last.interaction.id)
            return FollowUpPage(items: page, next: next)
        }
    }
}
