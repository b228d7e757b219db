import Foundation
import GRDB

/// Which audit events a list or an export returns; nil filters nothing.
public struct AuditFilter: Sendable, Hashable {
    public var principal: String?
    public var customerID: String?
    /// A method's wire path.
    public var method: String?
    /// A status code's name.
    public var outcome: String?
    /// Events at or after this instant.
    public var from: Date?
    /// Events before this instant.
    public var before: Date?

    public init(
        principal: String? = nil, customerID: String? = nil, method: String? = nil, outcome: String? = nil,
        from: Date? = nil, before: Date? = nil
    ) {
        self.principal = principal
        self.customerID = customerID
        self.method = method
        self.outcome = outcome
        self.from = from
        self.before = before
    }

    /// The filters as a page token keeps them.
    var canonicalFilters: CanonicalFilters {
        var filters = CanonicalFilters(list: "audit")
        filters.add("principal", principal)
        filters.add("customer", customerID)
        filters.add("method", method)
        filters.add("outcome", outcome)
        filters.add("from", (try? from.map(StoredTime.millis)).flatMap { $0.map(String.init) })
        filters.add("before", (try? before.map(StoredTime.millis)).flatMap { $0.map(String.init) })
        return filters
    }

    /// Up to `limit` matching events with ids greater than `afterID`, in id order.
    func events(_ db: Database, afterID: Int64, limit: Int) throws -> [AuditEvent] {
        var conditions = ["id > ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [afterID]
        if let customerID {
            conditions.append("id IN (SELECT event_id FROM audit_event_customers WHERE customer_id = ? AND event_id > ?)")
            arguments += [customerID, afterID]
        }
        if let principal {
            conditions.append("principal = ?")
            arguments.append(principal)
        }
        if let method {
            conditions.append("method = ?")
            arguments.append(method)
        }
        if let outcome {
            conditions.append("outcome = ?")
            arguments.append(outcome)
        }
        if let from {
            conditions.append("time >= ?")
            arguments.append(try StoredTime.millis(from))
        }
        if let before {
            conditions.append("time < ?")
            arguments.append(try StoredTime.millis(before))
        }
        arguments.append(max(0, limit))
        let sql = "SELECT \(AuditTables.columns) FROM audit_events WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(AuditTables.event)
    }
}

/// Where a page of audit events ended: the last event id served.
public struct AuditCursor: Sendable, Hashable, Codable {
    public let afterID: Int64

    public init(afterID: Int64) {
        self.afterID = afterID
    }
}

/// One page of audit events, oldest first, and where the next one starts unless it is the last.
public struct AuditPage: Sendable, Hashable {
    public let events: [AuditEvent]
    public let next: AuditCursor?

    public init(events: [AuditEvent], next: AuditCursor?) {
        self.events = events
        self.next = next
    }
}

extension PageTokenCodec {
    /// The token for continuing the audit list under `filter` after `cursor`.
    public func token(for cursor: AuditCursor, filter: AuditFilter) -> String {
        token(cursor, filters: filter.canonicalFilters)
    }

    /// The cursor `token` carries, checked against the filter it is used with.
    ///
    /// - Throws: `StoreError` `.invalidPageToken` when the token was not issued by this codec or
    ///   was issued for other filters.
    public func cursor(_ token: String, for filter: AuditFilter) throws -> AuditCursor {
        try cursor(token, AuditCursor.self, filters: filter.canonicalFilters) { $0.afterID >= 0 }
    }
}
