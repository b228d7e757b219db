import GRDB
import RapportDomain

/// Batches and imports, each inside one write transaction: every row first, then the daily
/// tables once per key and each touched customer re-segmented once.
enum InteractionBatch {
    /// Logs every entry, or nothing: each is tried in its own savepoint so that all of them are
    /// checked (a later entry sees the earlier ones, so a repeated request id replays), and any
    /// failure rejects the batch, listing every failed entry.
    /// - Throws: `.batchRejected` (the caller's transaction must roll back), or a failure of the database.
    static func log(
        _ db: Database, _ entries: [NewInteraction], context: LogContext, using store: LogEnvironment
    ) throws -> [LogOutcome] {
        var outcomes: [LogOutcome] = []
        var failures: [BatchItemFailure] = []
        var increments = DerivedIncrements()
        var touched = TouchedCustomers()
        for (index, entry) in entries.enumerated() {
            var entryIncrements = DerivedIncrements()
            switch try InteractionWriter.attempt(db, {
                try InteractionWriter.record(db, entry, context: context, using: store, into: &entryIncrements)
            }) {
            case .success(let outcome):
                outcomes.append(outcome)
                increments.merge(entryIncrements)
                if case .recorded(let interaction) = outcome { touched.insert(interaction.customerID, context: context) }
            case .failure(let error):
                failures.append(BatchItemFailure(index: index, kind: error.kind, message: error.message))
            }
        }
        guard failures.isEmpty else {
            throw StoreError(
                .batchRejected(failures),
                "\(failures.count) of \(entries.count) interactions were refused; nothing was recorded")
        }
        try InteractionWriter.finish(db, increments: increments, touched: touched, using: store)
        try AuditTables.append(db, stamp: context.audit, customerIDs: outcomes.map(\.interaction.customerID))
        return outcomes
    }

    /// Writes interactions as they are (no request ids, no checks beyond the schema's), reading
    /// each customer's branch and segments once.
    /// - Throws: `.notFound` naming the first interaction whose customer does not exist.
    static func importAll(
        _ db: Database, _ interactions: [Interaction], context: LogContext, using store: LogEnvironment
    ) throws {
        var snapshots: [String: InteractionRecord.SegmentSnapshot] = [:]
        var increments = DerivedIncrements()
        var touched = TouchedCustomers()
        for interaction in interactions {
            let customerID = interaction.customerID
            let snapshot: InteractionRecord.SegmentSnapshot
            if let known = snapshots[customerID] {
                snapshot = known
            } else {
                do {
                    snapshot = try LogChecks.customer(db, id: customerID)
                } catch var error as StoreError where error.kind == .notFound {
                    error.message = "interaction \(interaction.id): \(error.message)"
                    throw error
                }
                snapshots[customerID] = snapshot
                touched.insert(customerID, context: context)
            }
            try InteractionRows.insert(db, interaction, customer: snapshot, followUpSLA: context.followUpSLA, into: &increments)
        }
        try InteractionWriter.finish(db, increments: increments, touched: touched, using: store)
    }
}
