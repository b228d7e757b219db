import Foundation
import RapportDomain

/// Filters on the interaction log; empty sets and nil bounds do not filter.
public struct InteractionFilter: Sendable, Hashable {
    /// The largest page the store returns.
    public static let maximumPageSize = 1000

    /// Inclusive lower bound on `occurredAt`.
    public var occurredFrom: Date?
    /// Exclusive upper bound on `occurredAt`.
    public var occurredBefore: Date?
    public var channels: Set<Channel>
    public var kinds: Set<InteractionKind>

    public init(occurredFrom: Date? = nil, occurredBefore: Date? = nil, channels: Set<Channel> = [], kinds: Set<InteractionKind> = []) {
        self.occurredFrom = occurredFrom
        self.occurredBefore = occurredBefore
        self.channels = channels
        self.kinds = kinds
    }
}

/// Where a page of a customer's log ended; the next page starts strictly after it (older).
public struct InteractionCursor: Sendable, Hashable, Codable {
    /// The last returned interaction's occurred time, in milliseconds since 1970.
    public var occurredAtMillis: Int64
    public var id: String

    public init(occurredAtMillis: Int64, id: String) {
        self.occurredAtMillis = occurredAtMillis
        self.id = id
    }
}

/// One page of a customer's log.
public struct InteractionPage: Sendable, Hashable {
    public var interactions: [Interaction]
    /// Where the next page starts; nil on the last page.
    public var next: InteractionCursor?

    public init(interactions: [Interaction], next: InteractionCursor?) {
        self.interactions = interactions
        self.next = next
    }
}

/// Filters on the follow-up queue; nil means any.
public struct FollowUpFilter: Sendable, Hashable {
    public var customerID: String?
    /// The customer's branch when the item opened.
    public var branchID: String?

    public init(customerID: String? = nil, branchID: String? = nil) {
        self.customerID = customerID
        self.branchID = branchID
    }
}

/// Where a page of the follow-up queue ended.
public struct FollowUpCursor: Sendable, Hashable, Codable {
    /// The last returned item's due time, in milliseconds since 1970.
    public var dueAtMillis: Int64
    public var interactionID: String

    public init(dueAtMillis: Int64, interactionID: String) {
        self.dueAtMillis = dueAtMillis
        self.interactionID = interactionID
    }
}

/// One page of the follow-up queue.
public struct FollowUpPage: Sendable, Hashable {
    public var items: [FollowUpItem]
    /// Where the next page starts; nil on the last page.
    public var next: FollowUpCursor?

    public init(items: [FollowUpItem], next: FollowUpCursor?) {
        self.items = items
        self.next = next
    }
}
