import RapportDomain

/// The customer persistence interface the services use; SQLite implements it today.
///
/// Every write is one transaction and returns only after it committed. Failures are `StoreError`s,
/// except errors thrown by an `update` change closure, which are rethrown unchanged.
public protocol CustomerStore: PageTokenIssuer {
    /// Stores a new customer.
    ///
    /// The store assigns the etag and keeps timestamps to millisecond precision; the returned
    /// customer is exactly what was stored (an empty `externalRef` is stored as none). With a
    /// `requestID` seen before, nothing is written and the customer that request created is
    /// returned, as it is now, as `.replayed` (an empty `requestID` counts as none), provided it is
    /// the same person (external ref, full name, date of birth).
    ///
    /// - Parameters:
    ///   - customer: The customer, with its id already assigned (see `SQLiteCustomerStore.newCustomerID`).
    ///   - requestID: The client's idempotency key, if any.
    /// - Throws: `.alreadyExists(field: "external_ref")` (or `"id"`) when taken;
    ///   `.requestConflict(field: "request_id")` when the request id created a different person;
    ///   `.preconditionFailed` when it created a customer since erased.
    func create(_ customer: Customer, requestID: String?) async throws -> CreateOutcome

    /// The customer with this id, or nil.
    func customer(id: String) async throws -> Customer?

    /// The customer with this core-banking reference, or nil.
    func customer(externalRef: String) async throws -> Customer?

    /// Reads, changes and writes a customer in one write transaction.
    ///
    /// The store keeps `id` and `createdAt`, and sets a new `etag` and `updatedAt`; everything
    /// else (including segmentation) is what `change` leaves. Nothing is written if `change` throws.
    ///
    /// - Parameters:
    ///   - id: The customer.
    ///   - expectedEtag: When non-nil and non-empty, the write happens only if it is the current etag.
    ///   - today: The UTC day the activity windows end on (the day `change` segments for).
    ///   - change: Applies the update, given the customer's activity from the interaction log as
    ///     of `today` (read in the same transaction) so that it can re-segment with it; its errors
    ///     are rethrown unchanged.
    /// - Throws: `.notFound`, `.etagMismatch`, `.alreadyExists(field: "external_ref")`.
    func update(
        id: String, expectedEtag: String?, today: CalendarDate,
        _ change: @Sendable (inout Customer, ActivitySummary) throws -> Void
    ) async throws -> Customer

    /// Erases the customer: destroys their data key (crypto-shredding: every copy of their
    /// personal data becomes unreadable), removes the customer, its consent history, idempotency
    /// records, interactions, open follow-ups and daily activity, and keeps their survey responses
    /// as anonymised facts so NPS reports are unchanged. A later create with one of their request
    /// ids fails with `.preconditionFailed` naming the erasure.
    ///
    /// - Throws: `.notFound`, `.etagMismatch`.
    @discardableResult
    func delete(id: String, expectedEtag: String?) async throws -> ErasureReceipt

    /// Appends consent decisions (in the given order) and returns the full history, oldest first.
    ///
    /// - Throws: `.notFound` when there is no such customer.
    func appendConsent(customerID: String, _ decisions: [ConsentDecision]) async throws -> [ConsentDecision]

    /// The customer's consent history, oldest first.
    ///
    /// - Throws: `.notFound` when there is no such customer.
    func consentHistory(customerID: String) async throws -> [ConsentDecision]

    /// One page of customers matching `query`, in a stable order, served from an index.
    ///
    /// - Parameters:
    ///   - query: The filters.
    ///   - pageSize: The most customers to return; clamped to `1...CustomerQuery.maximumPageSize`.
    ///   - cursor: Where the previous page ended, or nil for the first page.
    /// - Throws: `.invalidPageToken` when the cursor does not fit the query.
    func list(_ query: CustomerQuery, pageSize: Int, after cursor: PageCursor?) async throws -> CustomerPage

    /// `create`, with the write's audit event (under `audit`, when given) in its transaction.
    func create(_ customer: Customer, requestID: String?, audit: AuditStamp?) async throws -> CreateOutcome

    /// `update`, with the write's audit event (under `audit`, when given) in its transaction.
    func update(
        id: String, expectedEtag: String?, today: CalendarDate, audit: AuditStamp?,
        _ change: @Sendable (inout Customer, ActivitySummary) throws -> Void
    ) async throws -> Customer

    /// `delete`, with the erasure's audit event (under `audit`, when given) in its transaction.
    func delete(id: String, expectedEtag: String?, audit: AuditStamp?) async throws -> ErasureReceipt

    /// `appendConsent`, with the write's audit event (under `audit`, when given) in its transaction.
    func appendConsent(customerID: String, _ decisions: [ConsentDecision], audit: AuditStamp?) async throws -> [ConsentDecision]
}

/// Stores that keep no audit trail (test doubles) write as they would without a stamp.
extension CustomerStore {
    public func create(_ customer: Customer, requestID: String?, audit: AuditStamp?) async throws -> CreateOutcome {
        try await create(customer, requestID: requestID)
    }

    public func update(
        id: String, expectedEtag: String?, today: CalendarDate, audit: AuditStamp?,
        _ change: @Sendable (inout Customer, ActivitySummary) throws -> Void
    ) async throws -> Customer {
        try await update(id: id, expectedEtag: expectedEtag, today: today, change)
    }

    public func delete(id: String, expectedEtag: String?, audit: AuditStamp?) async throws -> ErasureReceipt {
        try await delete(id: id, expectedEtag: expectedEtag)
    }

    public func appendConsent(customerID: String, _ decisions: [ConsentDecision], audit: AuditStamp?) async throws -> [ConsentDecision] {
        try await appendConsent(customerID: customerID, decisions)
    }
}

/// The result of a create: a new customer, or the one an earlier request with the same id created.
public enum CreateOutcome: Sendable, Hashable {
    /// The customer was stored now.
    case created(Customer)
    /// The request id was seen before; this is the customer it created, and nothing was written.
    case replayed(Customer)

    /// The customer, however it was obtained.
    public var customer: Customer {
        switch self {
        case .created(let customer), .replayed(let customer): customer
        }
    }
}
