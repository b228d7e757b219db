import Foundation
import RapportDomain

extension SQLiteCustomerStore {
    /// Survey responses that occurred in `from..<before`, overall and per `groupBy` key (the
    /// stored raw value: an enum case's raw value or a branch id), in one read transaction.
    public func npsReport(from: Date, before: Date, groupBy: NpsDimension?) async throws -> NpsReport {
        try await mappingErrors {
            let query = NpsReportQuery(
                fromMillis: try StoredTime.millis(from), beforeMillis: try StoredTime.millis(before), groupBy: groupBy)
            return try await asyncRead { db in try query.run(db) }
        }
    }
}
