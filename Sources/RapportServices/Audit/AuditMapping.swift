import Foundation
import RapportDomain
import RapportProto
import RapportStore
import RapportWire
import SwiftProtobuf

extension AuditFilter {
    /// The longest text filter accepted; ids, names and paths are far shorter.
    static let maximumTextBytes = 256

    /// A request's filter, validated: texts bounded, the outcome a status name, the time range
    /// through the checked timestamp conversion and not empty.
    init(wire: Rapport_V1_AuditFilter) throws(ValidationFailure) {
        func text(_ value: String, _ field: String) throws(ValidationFailure) -> String? {
            guard value.utf8.count <= Self.maximumTextBytes else {
                throw ValidationFailure(field: "filter.\(field)", reason: "must be at most \(Self.maximumTextBytes) bytes")
            }
            return value.isEmpty ? nil : value
        }
        let outcome = try text(wire.outcome, "outcome")
        if let outcome, !StatusCode.allCodes.contains(where: { "\($0)" == outcome }) {
            throw ValidationFailure(
                field: "filter.outcome", reason: "must be a status code name such as OK, NOT_FOUND or PERMISSION_DENIED")
        }
        let from = wire.hasTimeFrom ? try wire.timeFrom.date(field: "filter.time_from") : nil
        let before = wire.hasTimeBefore ? try wire.timeBefore.date(field: "filter.time_before") : nil
        if let from, let before, before <= from {
            throw ValidationFailure(field: "filter.time_before", reason: "must be after filter.time_from")
        }
        self.init(
            principal: try text(wire.principal, "principal"), customerID: try text(wire.customerID, "customer_id"),
            method: try text(wire.method, "method"), outcome: outcome, from: from, before: before)
    }
}

extension AuditEvent {
    var wire: Rapport_V1_AuditEvent {
        .with {
            $0.id = id
            $0.time = .millisecondPrecise(entry.time)
            $0.principal = entry.principal
            $0.method = entry.method
            $0.customerIds = entry.customerIDs
            $0.outcome = entry.outcome
            $0.detail = entry.detail
            $0.requestID = entry.requestID
            $0.peer = entry.peer
            $0.previousHash = previousHash
            $0.hash = hash
        }
    }

    /// About what the event takes on the wire: its texts, hashes and per-field overhead.
    var estimatedWireBytes: Int {
        let texts = entry.principal.utf8.count + entry.method.utf8.count + entry.outcome.utf8.count + entry.detail.utf8.count
            + entry.requestID.utf8.count + entry.peer.utf8.count
        return 128 + texts + entry.customerIDs.reduce(0) { $0 + $1.utf8.count + 3 }
    }
}
