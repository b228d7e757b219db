import Foundation

/// Who made a write and through which call: what a service passes into the store's write methods
/// so that the write's audit event commits in the write's own transaction.
public struct AuditStamp: Sendable, Hashable {
    /// The principal's name; empty when the call carried none.
    public var principal: String
    /// The wire path of the method, e.g. "/rapport.v1.CustomerService/CreateCustomer".
    public var method: String
    /// The call's request id.
    public var requestID: String
    /// The caller's address ("ip:port"); empty when unknown.
    public var peer: String
    /// A marker a write adds to its event (see `AuditEntry.detail`), e.g. "consent.backdated".
    public var detail: String

    public init(principal: String, method: String, requestID: String, peer: String, detail: String = "") {
        self.principal = principal
        self.method = method
        self.requestID = requestID
        self.peer = peer
        self.detail = detail
    }
}

/// One audit event as recorded, before the store numbers and chains it. Ids only, never personal
/// data, so that it outlives a customer's erasure.
public struct AuditEntry: Sendable, Hashable {
    public var time: Date
    public var principal: String
    public var method: String
    /// The customers the call touched or returned, in the order it did.
    public var customerIDs: [String]
    /// The status code's name, e.g. "OK", "NOT_FOUND", "PERMISSION_DENIED".
    public var outcome: String
    /// What kind of event beyond method and outcome, e.g. "read", "refused", "consent.backdated",
    /// "replayed"; empty for a plain write.
    public var detail: String
    public var requestID: String
    public var peer: String

    public init(
        time: Date, principal: String, method: String, customerIDs: [String], outcome: String, detail: String = "",
        requestID: String, peer: String
    ) {
        self.time = time
        self.principal = principal
        self.method = method
        self.customerIDs = customerIDs
        self.outcome = outcome
        self.detail = detail
        self.requestID = requestID
        self.peer = peer
    }

    /// The event of a write made under `stamp`.
    public init(stamp: AuditStamp, time: Date, customerIDs: [String], outcome: String = "OK", detail: String? = nil) {
        self.init(
            time: time, principal: stamp.principal, method: stamp.method, customerIDs: customerIDs, outcome: outcome,
            detail: detail ?? stamp.detail, requestID: stamp.requestID, peer: stamp.peer)
    }
}

/// A stored audit event: the entry, its place in the chain and its hash.
public struct AuditEvent: Sendable, Hashable {
    /// 1, 2, 3 … in the order the events were committed; the chain has no gaps.
    public var id: Int64
    public var entry: AuditEntry
    /// The previous event's hash (32 zero bytes for the first event).
    public var previousHash: Data
    /// SHA-256 of the entry's canonical encoding and `previousHash` (see `AuditChain`).
    public var hash: Data

    public init(id: Int64, entry: AuditEntry, previousHash: Data, hash: Data) {
        self.id = id
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }
}
