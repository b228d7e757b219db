import GRDB
import RapportDomain

/// Logs interactions inside a write transaction the caller opened: the checks, the rows, what is
/// derived from them and the customer's new segments.
enum InteractionWriter {
    /// Logs one entry in its own savepoint, re-segmenting its customer; for group commit, where
    /// each entry succeeds or fails alone.
    /// - Returns: the outcome, or the entry's own failure (its writes rolled back).
    /// - Throws: only failures the whole transaction cannot survive (see `attempt`).
    static func log(_ db: Database, _ entry: NewInteraction, context: LogContext) throws -> Result<LogOutcome, StoreError> {
        try attempt(db) {
            var increments = DerivedIncrements()
            let outcome = try record(db, entry, context: context, into: &increments)
            if case .recorded(let interaction) = outcome {
                try increments.apply(db)
                try Resegmenter.resegment(db, customerID: interaction.customerID, context: context)
            }
            return outcome
        }
    }

    /// Checks and writes one entry, counting what it adds to the daily tables into `increments`
    /// (not applied, and the customer not re-segmented, so that batches do both once). With a
    /// request id seen before, writes nothing and replays what that request recorded.
    static func record(
        _ db: Database, _ entry: NewInteraction, context: LogContext, into increments: inout DerivedIncrements
    ) throws -> LogOutcome {
        let requestID = entry.requestID.flatMap { $0.isEmpty ? nil : $0 }
        if let requestID, let earlier = try replay(db, requestID: requestID) {
            return .replayed(earlier)
        }
        let interaction = entry.interaction
        let customer = try LogChecks.customer(db, id: interaction.customerID)
        try LogChecks.followUpReference(db, interaction)
        try LogChecks.marketingConsent(db, interaction)
        try InteractionRows.insert(db, interaction, customer: customer, followUpSLA: context.followUpSLA, into: &increments)
        if let requestID {
            try db.cachedStatement(sql: "INSERT INTO interaction_requests (request_id, interaction_id, created_at) VALUES (?, ?, ?)")
                .execute(arguments: [requestID, interaction.id, try StoredTime.millis(context.now)])
        }
        return .recorded(interaction)
    }

    /// The interaction an earlier request with this id recorded, or nil.
    private static func replay(_ db: Database, requestID: String) throws -> Interaction? {
        let id = try String.fetchOne(
            db.cachedStatement(sql: "SELECT interaction_id FROM interaction_requests WHERE request_id = ?"),
            arguments: [requestID])
        return try id.flatMap { try InteractionRecord.fetch(db, id: $0) }
    }

    /// Runs `body` in a savepoint. Its failure rolls back only what it wrote and is returned as a
    /// `StoreError`, except a failure of the database itself (busy, full, corrupt, read-only,
    /// unavailable, or a transaction SQLite already rolled back), which is rethrown: the other
    /// entries of the transaction cannot be committed after it either.
    static func attempt<Value>(_ db: Database, _ body: () throws -> Value) throws -> Result<Value, StoreError> {
        var value: Value?
        do {
            try db.inSavepoint {
                value = try body()
                return .commit
            }
        } catch {
            let failure = Self.storeError(error)
            if failure.kind.failsTheTransaction || !db.isInsideTransaction { throw failure }
            return .failure(failure)
        }
        guard let value else { return .failure(StoreError(.other, "the savepoint committed without a result")) }
        return .success(value)
    }

    /// Any error thrown while writing, as a `StoreError`.
    private static func storeError(_ error: any Error) -> StoreError {
        switch StoreError.mapping(error) {
        case let mapped as StoreError: mapped
        case let other: StoreError(.other, "cannot log the interaction: \(other)", cause: other)
        }
    }
}

extension StoreError.Kind {
    /// Whether this is a failure of the database rather than of one entry.
    var failsTheTransaction: Bool {
        switch self {
        case .busy, .diskFull, .corrupt, .readOnly, .unavailable: true
        default: false
        }
    }
}
