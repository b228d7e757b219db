import RapportDomain

extension SQLiteCustomerStore {
    /// The co-holding statistics as of the last committed write, for recommendations.
    public func coholdingStatistics() async throws -> CoholdingStatistics {
        try await mappingErrors {
            try await asyncRead { try CoholdingTables.read($0) }
        }
    }
}
