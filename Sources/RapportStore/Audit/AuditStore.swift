import Foundation

/// The audit trail's persistence interface: append-only, hash-chained (see `AuditChain`).
///
/// Writes of customers, consent, interactions and products append their own event in their own
/// transaction when the caller passes an `AuditStamp`; this protocol appends the events that are
/// not writes (reads, refused calls, failed write attempts) and reads the trail. Nothing here
/// changes or removes an event.
public protocol AuditStore: PageTokenIssuer {
    /// Appends the entries, in order, as the next events of the chain, in one transaction.
    func appendAuditEvents(_ entries: [AuditEntry]) async throws

    /// One page of events matching `filter`, oldest first.
    ///
    /// - Parameter pageSize: clamped to `1...1000`.
    func auditEvents(_ filter: AuditFilter, pageSize: Int, after cursor: AuditCursor?) async throws -> AuditPage

    /// Up to `limit` events matching `filter` with ids greater than `afterID`, in id order; exports
    /// call it repeatedly, so memory stays at one chunk.
    func auditExportChunk(_ filter: AuditFilter, afterID: Int64, limit: Int) async throws -> [AuditEvent]

    /// Recomputes the chain from the first event: intact, or the first event whose id, previous
    /// hash or hash is not what the events before it make it.
    func verifyAuditChain() async throws -> AuditChainVerdict
}

extension SQLiteCustomerStore: AuditStore {
    /// Events `verifyAuditChain` reads per read transaction.
    static let auditVerifyChunk = 2000

    public func appendAuditEvents(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await mappingErrors {
            try await pool.write { db in
                try AuditTables.append(db, entries)
            }
        }
    }

    public func auditEvents(_ filter: AuditFilter, pageSize: Int, after cursor: AuditCursor?) async throws -> AuditPage {
        let size = min(max(pageSize, 1), 1000)
        let events = try await mappingErrors {
            try await asyncRead { db in try filter.events(db, afterID: cursor?.afterID ?? 0, limit: size + 1) }
        }
        let page = Array(events.prefix(size))
        let next = events.count > size ? page.last.map { AuditCursor(afterID: $0.id) } : nil
        return AuditPage(events: page, next: next)
    }

    public func auditExportChunk(_ filter: AuditFilter, afterID: Int64, limit: Int) async throws -> [AuditEvent] {
        try await mappingErrors {
            try await asyncRead { db in try filter.events(db, afterID: afterID, limit: limit) }
        }
    }

    public func verifyAuditChain() async throws -> AuditChainVerdict {
        var verifier = AuditChainVerifier()
        while true {
            let after = verifier.lastID
            let chunk = try await mappingErrors {
                try await asyncRead { db in try AuditChainVerifier.rows(db, afterID: after, limit: Self.auditVerifyChunk) }
            }
            for row in chunk {
                if let broken = verifier.check(row) { return broken }
            }
            if chunk.count < Self.auditVerifyChunk { return verifier.verdict }
        }
    }
}
