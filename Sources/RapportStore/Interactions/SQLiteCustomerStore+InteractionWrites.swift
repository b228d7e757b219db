import Foundation
import GRDB
import RapportDomain

/// One `log` call waiting for its group commit.
struct PendingLog: Sendable {
    var entry: NewInteraction
    var context: LogContext
    /// The entry's texts, sealed before it waited for the writer; nil when the customer has no
    /// data key (then the write finds no such customer).
    var sealed: InteractionTexts.Sealed?
}

extension SQLiteCustomerStore {
    /// The most `log` calls one group-commit transaction takes.
    static let maximumLogGroupSize = 256

    /// Logs one interaction, committed in one transaction with the calls queued alongside it.
    /// Its id is assigned in that transaction, so ids increase in commit order.
    ///
    /// The customer's segments are re-computed with the new activity; that changes neither their
    /// etag nor `updatedAt` (see `Resegmenter`).
    public func log(_ entry: NewInteraction, context: LogContext) async throws -> LogOutcome {
        // Sealed here, on the caller's thread, so the single writer spends no time on it.
        let sealed: InteractionTexts.Sealed?
        do {
            sealed = try keyring.dataKey(for: entry.interaction.customerID).map { try InteractionTexts.seal(entry.interaction, key: $0) }
        } catch {
            throw StoreError.mapping(error)
        }
        return try await interactionLog.submit(PendingLog(entry: entry, context: context, sealed: sealed)) { group, completion in
            // Started on the writer's queue and completed there after the commit, so the next
            // group starts without a hop through a task (see `GroupCommitQueue`).
            let environment = self.logEnvironment
            self.pool.asyncWrite { db in
                try InteractionWriter.logGroup(db, group, using: environment)
            } completion: { _, result in
                completion(result.mapError { StoreError.mapping($0) })
            }
        }
    }

    /// Logs a batch in one transaction, all or nothing; ids are assigned in it, in batch order.
    public func logBatch(_ entries: [NewInteraction], context: LogContext) async throws -> [LogOutcome] {
        try await mappingErrors {
            try await pool.write { db in
                try InteractionBatch.log(db, entries, context: context, using: logEnvironment)
            }
        }
    }

    /// Writes interactions as they are (ids included), for seeding, maintaining every derived
    /// table. Later logged interactions get ids after the imported ones.
    public func importInteractions(_ interactions: [Interaction], context: LogContext) async throws {
        try await mappingErrors {
            try await pool.write { db in
                try InteractionBatch.importAll(db, interactions, context: context, using: logEnvironment)
            }
        }
        if let last = interactions.map(\.id).max() { interactionIDs.advance(past: last) }
    }

    /// The customer's contact counts over the two 90-day windows ending `today` (a UTC day).
    ///
    /// - Throws: `.notFound` when there is no such customer.
    public func activity(customerID: String, today: CalendarDate) async throws -> ActivitySummary {
        try await mappingErrors {
            try await asyncRead { db in
                _ = try LogChecks.customer(db, id: customerID)
                return try CustomerActivity.summary(db, customerID: customerID, today: today)
            }
        }
    }

    /// What interaction writes borrow from the store.
    var logEnvironment: LogEnvironment {
        LogEnvironment(ids: interactionIDs, customers: customerCache, activity: activitySummaries)
    }

    /// How many group-commit transactions `log` has run; for tests.
    var logGroupCount: Int { interactionLog.groupCount }
}
