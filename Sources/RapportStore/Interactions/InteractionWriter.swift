import Foundation
import GRDB
import RapportDomain

/// Logs interactions inside a write transaction the caller opened: the checks, the rows, what is
/// derived from them and the customer's new segments.
enum InteractionWriter {
    /// Logs a group-commit group: each entry in its own savepoint, so that it succeeds or fails
    /// alone; then the daily tables once per key and each touched customer re-segmented once
    /// (as of the latest `now` among its entries), as a batch does.
    /// - Returns: one outcome or failure (its writes rolled back) per entry, in order.
    /// - Throws: only failures the whole transaction cannot survive (see `attempt`).
    static func logGroup(
        _ db: Database, _ group: [PendingLog], using store: LogEnvironment
    ) throws -> [Result<LogOutcome, StoreError>] {
        var increments = DerivedIncrements()
        var touched = TouchedCustomers()
        var events: [AuditEntry] = []
        let now = Date()
        let results = try group.map { pending in
            var entryIncrements = DerivedIncrements()
            let result = try attempt(db) {
                try record(db, pending.entry, context: pending.context, sealed: pending.sealed, using: store, into: &entryIncrements)
            }
            if case .success(let outcome) = result {
                if let event = AuditTables.entry(logging: outcome, stamp: pending.context.audit, time: now) { events.append(event) }
                if case .recorded(let interaction) = outcome {
                    increments.merge(entryIncrements)
                    touched.insert(interaction.customerID, context: pending.context)
                }
            }
            return result
        }
        // The events of the entries that succeeded, in one append: each entry that failed
        // rolled back alone and has no event here (the service records its failed attempt).
        try AuditTables.append(db, events)
        try finish(db, increments: increments, touched: touched, using: store)
        return results
    }

    /// Checks and writes one entry, counting what it adds to the daily tables into `increments`
    /// (not applied, and the customer not re-segmented, so that groups and batches do both once).
    /// With a request id seen before, writes nothing and replays what that request recorded.
    ///
    /// The interaction's id is assigned here, inside the write transaction, from `store.ids`: writes
    /// are serialized, so ids increase in commit order and a reader that resumes after the last
    /// id it saw (an export) never skips a row committed later.
    static func record(
        _ db: Database, _ entry: NewInteraction, context: LogContext, sealed: InteractionTexts.Sealed? = nil,
        using store: LogEnvironment, into increments: inout DerivedIncrements
    ) throws -> LogOutcome {
        let requestID = entry.requestID.flatMap { $0.isEmpty ? nil : $0 }
        if let requestID, let earlier = try replay(db, requestID: requestID, for: entry.interaction) {
            return .replayed(earlier)
        }
        var interaction = entry.interaction
        interaction.id = SQLiteCustomerStore.interactionIDPrefix + store.ids.next(now: context.now)
        let customer = try LogChecks.customer(db, id: interaction.customerID, cache: store.customers)
        try LogChecks.followUpReference(db, interaction)
        try LogChecks.marketingConsent(db, interaction)
        try LogChecks.offerOutcome(entry.offer, of: interaction)
        try InteractionRows.insert(
            db, interaction, customer: customer, followUpSLA: context.followUpSLA,
            offerReasons: entry.offer?.distinctReasonCodes ?? [], sealed: sealed, into: &increments)
        if entry.offer?.outcome == .accepted {
            try OfferAcceptance.addHolding(db, for: interaction, now: context.now, customers: store.customers)
        }
        if let requestID {
            try db.cachedStatement(sql: "INSERT INTO interaction_requests (request_id, interaction_id, created_at) VALUES (?, ?, ?)")
                .execute(arguments: [requestID, interaction.id, try StoredTime.millis(context.now)])
        }
        return .recorded(interaction)
    }

    /// Applies the summed daily counts and re-segments each touched customer once.
    static func finish(
        _ db: Database, increments: DerivedIncrements, touched: TouchedCustomers, using store: LogEnvironment
    ) throws {
        try increments.apply(db)
        for (customerID, context) in touched.inOrder {
            try Resegmenter.resegment(
                db, customerID: customerID, today: CalendarDate(utcDayOf: context.now), segmenter: context.segmenter,
                customers: store.customers, activity: store.activity)
        }
    }

    /// The interaction an earlier request with this id recorded, or nil when the id is new.
    ///
    /// - Throws: `.requestConflict` when that interaction is not this one's retry (another
    ///   customer, channel or kind): a request id names one contact, and replaying another
    ///   customer's interaction would hand it to the wrong caller.
    private static func replay(_ db: Database, requestID: String, for retry: Interaction) throws -> Interaction? {
        let id = try String.fetchOne(
            db.cachedStatement(sql: "SELECT interaction_id FROM interaction_requests WHERE request_id = ?"),
            arguments: [requestID])
        guard let earlier = try id.flatMap({ try InteractionRecord.fetch(db, id: $0) }) else { return nil }
        guard earlier.customerID == retry.customerID, earlier.channel == retry.channel, earlier.kind == retry.kind else {
            throw StoreError(
                .requestConflict(field: "request_id"),
                "request_id: \(requestID) was already used for a different interaction; "
                    + "a retry must repeat the same customer, channel and kind, and a new contact needs a new request_id")
        }
        return earlier
    }

    /// Runs `body` in a savepoint. Its failure rolls back only what it wrote and is returned as a
    /// `StoreError`, except a failure of the database itself (busy, full, corrupt, read-only,
    /// unavailable, or a transaction SQLite already rolled back), which is rethrown: the other
    /// entries of the transaction cannot be committed after it either.
    ///
    /// The savepoint statements are cached: GRDB's `inSavepoint` compiles `SAVEPOINT` and
    /// `RELEASE` anew each time, which cost a group commit as much as inserting the row. GRDB
    /// still sees them (its authorizer marks them at compile time), so its transaction state holds.
    static func attempt<Value>(_ db: Database, _ body: () throws -> Value) throws -> Result<Value, StoreError> {
        try db.cachedStatement(sql: "SAVEPOINT log_entry").execute()
        let value: Value
        do {
            value = try body()
        } catch {
            let failure = Self.storeError(error)
            if failure.kind.failsTheTransaction || !db.isInsideTransaction { throw failure }
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT log_entry").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT log_entry").execute()
            return .failure(failure)
        }
        try db.cachedStatement(sql: "RELEASE SAVEPOINT log_entry").execute()
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
        case .busy, .diskFull, .corrupt, .readOnly, .ioError, .unavailable: true
        default: false
        }
    }
}

/// What the store lends its interaction writes: the id generator and the decoded-customer cache.
struct LogEnvironment {
    /// Assigns interaction ids; used only inside write transactions.
    let ids: SortableIDGenerator
    /// Saves re-segmentation decoding a customer it already holds.
    let customers: CustomerCache
    /// Saves re-segmentation summing a customer's daily activity it summed earlier today.
    let activity: ActivitySummaryTable?
}

/// Customer ids in the order first seen, each once with the context of its latest entry, so
/// re-segmentation runs once per customer, in a stable order, as of the latest `now`.
struct TouchedCustomers {
    private var positions: [String: Int] = [:]
    private(set) var inOrder: [(customerID: String, context: LogContext)] = []

    mutating func insert(_ customerID: String, context: LogContext) {
        if let position = positions[customerID] {
            if context.now > inOrder[position].context.now { inOrder[position].context = context }
        } else {
            positions[customerID] = inOrder.count
            inOrder.append((customerID, context))
        }
    }
}
