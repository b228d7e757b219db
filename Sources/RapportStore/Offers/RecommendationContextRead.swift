import Foundation
import GRDB
import RapportDomain

/// The statements of a recommendation context's log reads, built before the read transaction.
struct RecommendationContextRead {
    /// The history kinds' raw values, sorted so the statement text (and its cache entry) is fixed.
    private static let kinds = RecommendationContext.historyKinds.map(\.rawValue).sorted()

    /// Newest first from `interactions_by_customer_time` (customer_id, occurred_at, id, kind), one
    /// range of the customer's window; the index holds the kind, so rows of other kinds are
    /// skipped without being read. `+kind` keeps SQLite off the kind index: with eight kinds it
    /// would read eight ranges and sort them. The kinds are literals (fixed enum names, no quotes
    /// in them), so binding them per call costs nothing.
    static let historySQL = """
        SELECT \(InteractionRecord.selection) FROM interactions
        WHERE customer_id = ? AND occurred_at >= ? AND occurred_at < ? \
        AND +kind IN (\(kinds.map { "'\($0)'" }.joined(separator: ", ")))
        ORDER BY occurred_at DESC, id DESC LIMIT ?
        """

    /// Declines older than the main window, from `interactions_by_customer_sparse_kind` (the
    /// repeated index condition lets SQLite use it), newest first.
    static let olderDeclinesSQL = """
        SELECT \(InteractionRecord.selection) FROM interactions
        WHERE customer_id = ? AND kind = '\(InteractionKind.offerDeclined.rawValue)' AND \(StoreSchema.sparseKindCondition)
        AND occurred_at >= ? AND occurred_at < ?
        ORDER BY occurred_at DESC, id DESC LIMIT ?
        """

    /// What decides which history a read returns: two reads with equal windows return the same
    /// rows while the customer's log is unchanged (`RecommendationContextCache` keys on it).
    struct Window: Sendable, Hashable {
        let limit: Int
        /// Where declines start, in stored milliseconds; at most `fromMillis`.
        let declinesFromMillis: Int64
        /// From the start of `asOf − lookbackDays` to the end of `asOf`, in stored milliseconds.
        let fromMillis: Int64
        let beforeMillis: Int64
    }

    let customerID: String
    let window: Window
    var limit: Int { window.limit }
    var declinesFromMillis: Int64 { window.declinesFromMillis }
    var fromMillis: Int64 { window.fromMillis }
    var beforeMillis: Int64 { window.beforeMillis }

    init(customerID: String, asOf: CalendarDate, lookbackDays: Int, declineLookbackDays: Int, limit: Int) throws {
        self.customerID = customerID
        let fromMillis = try StoredTime.millis(asOf.adding(days: -max(lookbackDays, 0)).utcStart)
        window = Window(
            limit: limit,
            declinesFromMillis: min(fromMillis, try StoredTime.millis(asOf.adding(days: -max(declineLookbackDays, 0)).utcStart)),
            fromMillis: fromMillis,
            beforeMillis: try StoredTime.millis(asOf.adding(days: 1).utcStart))
    }

    var historyArguments: StatementArguments {
        [customerID, fromMillis, beforeMillis, limit]
    }

    /// The window's history kinds, then the declines before it, newest first, at most `limit`.
    func history(_ db: Database) throws -> [Interaction] {
        guard limit > 0 else { return [] }
        var history = try InteractionRecord.fetchAll(db, sql: Self.historySQL, arguments: historyArguments)
        if declinesFromMillis < fromMillis, history.count < limit {
            history += try InteractionRecord.fetchAll(
                db, sql: Self.olderDeclinesSQL,
                arguments: [customerID, declinesFromMillis, fromMillis, limit - history.count])
        }
        return history
    }

    /// Items open now (the queue keeps no closed ones), up to the context's limit: all of them,
    /// or with `raisedByAsOf` only those whose interaction occurred by the end of `asOf`.
    func openFollowUps(_ db: Database, raisedByAsOf: Bool) throws -> [FollowUpItem] {
        try FollowUpQueueRead(
            filter: FollowUpFilter(customerID: customerID), after: nil, limit: SQLiteCustomerStore.recommendationContextLimit,
            raisedBeforeMillis: raisedByAsOf ? beforeMillis : nil
        ).fetchAll(db)
    }

    /// The context's open follow-ups from every open item (`openFollowUps(_:raisedByAsOf: false)`):
    /// those raised by the end of `asOf`; nil if `all` may have been cut at the limit.
    func openFollowUps(raisedByAsOfFrom all: [FollowUpItem]) -> [FollowUpItem]? {
        guard all.count < SQLiteCustomerStore.recommendationContextLimit else { return nil }
        let before = StoredTime.date(beforeMillis)
        return all.filter { $0.interaction.occurredAt < before }
    }
}
