import Foundation
import RapportDomain
import RapportProto
import RapportServer
import RapportServerStubs
import RapportStore
import RapportWire
import SwiftProtobuf

/// `rapport.v1.AdminService`: reads, exports and verifies the audit trail. Nothing here changes it.
public struct AdminService: Rapport_V1_AdminService.ServiceProtocol {
    /// Events per export message at most.
    static let exportBatchSize = 500
    /// Estimated bytes per list page or export message at most, well under the default frame
    /// limit: an event of a 1000-customer list names 1000 ids.
    static let maximumMessageBytes = 1 << 20

    let store: any AuditStore
    let errors: StoreErrorMapping

    public init(store: any AuditStore, health: HealthMonitor) {
        self.store = store
        self.errors = StoreErrorMapping(health: health, resource: "audit event")
    }

    public func listAuditEvents(
        _ request: Rapport_V1_ListAuditEventsRequest, context: CallContext
    ) async throws -> Rapport_V1_ListAuditEventsResponse {
        let pageSize = try PageSize.resolve(request.pageSize)
        let filter = try invalidArgument { () throws(ValidationFailure) in try AuditFilter(wire: request.filter) }
        let page = try await errors.map { () async throws -> AuditPage in
            let cursor = request.pageToken.isEmpty ? nil : try store.pageTokens.cursor(request.pageToken, for: filter)
            return try await store.auditEvents(filter, pageSize: pageSize, after: cursor)
        }
        let events = Self.prefixWithinMessageLimit(page.events)
        let next = events.count < page.events.count ? events.last.map { AuditCursor(afterID: $0.id) } : page.next
        return .with {
            $0.events = events.map(\.wire)
            $0.nextPageToken = next.map { store.pageTokens.token(for: $0, filter: filter) } ?? ""
        }
    }

    /// Streams every match in id order, a batch per message: a batch is read only once the
    /// previous one has been sent, so a slow client holds the export back and memory stays at
    /// one batch.
    public func exportAuditEvents(
        _ request: Rapport_V1_ExportAuditEventsRequest, writer: ResponseWriter<Rapport_V1_AuditEventBatch>,
        context: CallContext
    ) async throws {
        let filter = try invalidArgument { () throws(ValidationFailure) in try AuditFilter(wire: request.filter) }
        guard request.afterID >= 0 else {
            throw RPCError(
                code: .invalidArgument, message: "after_id must not be negative (0 starts from the first event)",
                logSummary: "after_id: negative")
        }
        var after = request.afterID
        while true {
            try Task.checkCancellation()
            let chunk = try await errors.map { [after] in
                try await store.auditExportChunk(filter, afterID: after, limit: Self.exportBatchSize)
            }
            let batch = Self.prefixWithinMessageLimit(chunk)
            guard let last = batch.last else { break }
            try await writer.send(.with { $0.events = batch.map(\.wire) })
            after = last.id
            if batch.count == chunk.count, chunk.count < Self.exportBatchSize { break }
        }
    }

    public func verifyAuditChain(
        _ request: Rapport_V1_VerifyAuditChainRequest, context: CallContext
    ) async throws -> Rapport_V1_VerifyAuditChainResponse {
        let verdict = try await errors.map { try await store.verifyAuditChain() }
        context.logger.info("audit chain verified", metadata: ["verdict": "\(verdict.logText)"])
        return .with {
            switch verdict {
            case .intact(let events, let head):
                $0.intact = true
                $0.events = events
                $0.headHash = head
            case .broken(let id, let reason):
                $0.intact = false
                // Ids come from the file, which may have been tampered with.
                $0.events = id > 0 ? id - 1 : 0
                $0.brokenEventID = id
                $0.reason = reason
            }
        }
    }

    /// The longest prefix (at least one event) whose estimated size stays within a message.
    static func prefixWithinMessageLimit(_ events: [AuditEvent]) -> [AuditEvent] {
        var bytes = 0
        var count = 0
        for event in events {
            bytes += event.estimatedWireBytes
            if count > 0 && bytes > maximumMessageBytes { break }
            count += 1
        }
        return Array(events.prefix(count))
    }
}

extension AuditChainVerdict {
    var logText: String {
        switch self {
        case .intact(let events, _): "intact (\(events) events)"
        case .broken(let id, _): "broken at event \(id)"
        }
    }
}
