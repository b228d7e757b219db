import RapportDomain

extension SQLiteCustomerStore {
    /// The segment statistics as of the last committed write, read now (no snapshot).
    public func segmentStatistics() async throws -> SegmentStatistics {
        try await mappingErrors {
            try await asyncRead { try SegmentTables.read($0) }
        }
    }
}
