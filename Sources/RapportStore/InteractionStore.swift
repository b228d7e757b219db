import Foundation
import RapportDomain

/// The interaction-log persistence interface the services use; SQLite implements it today.
///
/// Writes return only after their transaction committed. Each logged interaction also updates,
/// in the same transaction, what is derived from it: the follow-up queue, the customer's daily
/// activity (and through it the stored lifecycle stage), and the daily NPS counts.
public protocol InteractionStore: PageTokenIssuer {
    /// Logs one interaction. Concurrent calls are committed together in one transaction (group
    /// commit), each in its own savepoint, so that one call's failure never touches another's.
    /// The store assigns the id; ids increase in commit order. A request id seen before replays
    /// what it recorded, if the entry names the same customer, channel and kind.
    ///
    /// - Throws: `StoreError` `.notFound` (no such customer), `.invalidReference(field:)` (a
    ///   follow-up of an interaction that does not exist or belongs to another customer),
    ///   `.preconditionFailed` (marketing without marketing consent on that channel),
    ///   `.requestConflict(field:)` (the request id was used for a different contact), `.other`
    ///   (an offer outcome on an interaction of another kind or without a product code).
    ///
    /// With `entry.offer` set the outcome is counted in `offer_outcomes` under the product and
    /// each reason code, and an acceptance adds the product to the customer's holdings unless
    /// they hold it open (a new etag then; see `OfferAcceptance`), all in the entry's transaction.
    func log(_ entry: NewInteraction, context: LogContext) async throws -> LogOutcome

    /// Logs a batch in one transaction: all of it, or nothing.
    ///
    /// - Throws: `StoreError` `.batchRejected` listing every item that failed (by index), when
    ///   any did; nothing is written then.
    func logBatch(_ entries: [NewInteraction], context: LogContext) async throws -> [LogOutcome]

    /// One page of a customer's log, newest first (occurred_at, then id, descending).
    ///
    /// - Throws: `.notFound` when there is no such customer; `.invalidPageToken` when the cursor
    ///   does not fit the filter.
    func interactions(
        customerID: String, filter: InteractionFilter, pageSize: Int, after cursor: InteractionCursor?
    ) async throws -> InteractionPage

    /// Up to `limit` interactions matching `filter` with ids greater than `afterID`, in id
    /// order. Exports call it repeatedly, so memory stays flat however many rows match.
    func exportChunk(filter: InteractionFilter, afterID: String?, limit: Int) async throws -> [Interaction]

    /// Survey responses that occurred in `from..<before`, counted overall and per group.
    func npsReport(from: Date, before: Date, groupBy: NpsDimension?) async throws -> NpsReport

    /// One page of the follow-up queue, earliest due first (due_at, then interaction id).
    ///
    /// - Throws: `.invalidPageToken` when the cursor does not fit the filter.
    func followUps(_ filter: FollowUpFilter, pageSize: Int, after cursor: FollowUpCursor?) async throws -> FollowUpPage

    /// What the customer-360 view shows from the log, read in one transaction.
    ///
    /// - Throws: `.notFound` when there is no such customer.
    func activityOverview(customerID: String, recent: Int, today: CalendarDate) async throws -> ActivityOverview

    /// Writes interactions as they are, for seeding: no idempotency keys or consent checks, but
    /// every derived table is maintained and each touched customer re-segmented once.
    func importInteractions(_ interactions: [Interaction], context: LogContext) async throws
}

/// An interaction to log (recorded time already assigned) and its idempotency key.
public struct NewInteraction: Sendable, Hashable {
    /// The contact; its `id` is ignored and replaced by the one the store assigns when it writes it.
    public var interaction: Interaction
    /// The client's key; nil or empty means none.
    public var requestID: String?
    /// For an offer outcome (its kind must be the outcome's): the reason codes it counts under
    /// and, for an acceptance, the holding it adds. Offer kinds logged without it count in the
    /// product's total only.
    public var offer: OfferOutcomeEffect?

    public init(interaction: Interaction, requestID: String?, offer: OfferOutcomeEffect? = nil) {
        self.interaction = interaction
        self.requestID = requestID
        self.offer = offer
    }
}

/// What a log write needs besides the interactions: the clock, the SLA and the segmenter.
public struct LogContext: Sendable {
    /// The current time (also "today" for re-segmentation).
    public var now: Date
    /// How long after a detractor response or complaint its follow-up is due.
    public var followUpSLA: TimeInterval
    /// Re-computes the lifecycle stage from the updated activity.
    public var segmenter: Segmenter
    /// Who writes, for the audit event committed with the write; nil writes none (seeding).
    /// Each group-commit entry carries its own.
    public var audit: AuditStamp?

    public init(now: Date, followUpSLA: TimeInterval, segmenter: Segmenter, audit: AuditStamp? = nil) {
        self.now = now
        self.followUpSLA = followUpSLA
        self.segmenter = segmenter
        self.audit = audit
    }
}

/// The result of a log: recorded now, or recorded before under the same request id.
public enum LogOutcome: Sendable, Hashable {
    case recorded(Interaction)
    /// The request id was seen before; this is what it recorded, and nothing was written.
    case replayed(Interaction)

    /// The interaction, however it was obtained.
    public var interaction: Interaction {
        switch self {
        case .recorded(let interaction), .replayed(let interaction): interaction
        }
    }
}

/// Why one item of a batch was refused.
public struct BatchItemFailure: Sendable, Hashable {
    /// The item's position in the batch.
    public var index: Int
    public var kind: StoreError.Kind
    public var message: String

    public init(index: Int, kind: StoreError.Kind, message: String) {
        self.index = index
        self.kind = kind
        self.message = message
    }
}

/// The customer-360 view's share of the log.
public struct ActivityOverview: Sendable, Hashable {
    /// Newest first.
    public var recentInteractions: [Interaction]
    /// Earliest due first.
    public var openFollowUps: [FollowUpItem]
    /// The latest survey response, if any.
    public var latestSurvey: Interaction?
    public var activity: ActivitySummary
    /// When the first and the latest interaction on record (of any kind) occurred; nil when there
    /// is none. Exact instants, where `activity` knows its first and last activity days only.
    public var firstContactAt: Date?
    public var lastContactAt: Date?

    public init(
        recentInteractions: [Interaction], openFollowUps: [FollowUpItem], latestSurvey: Interaction?,
        activity: ActivitySummary, firstContactAt: Date? = nil, lastContactAt: Date? = nil
    ) {
        self.recentInteractions = recentInteractions
        self.openFollowUps = openFollowUps
        self.latestSurvey = latestSurvey
        self.activity = activity
        self.firstContactAt = firstContactAt
        self.lastContactAt = lastContactAt
    }
}

extension SQLiteCustomerStore: InteractionStore {}
