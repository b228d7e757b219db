import Foundation
import RapportAccess
import RapportServer
import RapportStore
import RapportWire

/// Where services record audit events that are not writes: reads of unmasked personal data and
/// failed write attempts. (A successful write's event commits in the write's own transaction,
/// through the `AuditStamp` passed to the store.)
///
/// `record` never blocks and never fails: implementations buffer and write elsewhere.
public protocol AuditTrail: Sendable {
    func record(_ entry: AuditEntry)
}

extension CallContext {
    /// Who makes this call and how, for the audit event of a write.
    public var auditStamp: AuditStamp {
        AuditStamp(principal: principal?.name ?? "", method: method.path, requestID: requestID, peer: peer ?? "")
    }

}

/// The services' use of the trail: nothing is recorded when a service was built without one.
struct AuditRecording: Sendable {
    let trail: (any AuditTrail)?
    let now: @Sendable () -> Date

    /// Records a read of these customers, when the caller sees their personal data unmasked.
    func read(_ context: CallContext, customerIDs: [String]) {
        guard let trail, context.seesPersonalData, !customerIDs.isEmpty else { return }
        trail.record(
            AuditEntry(
                time: now(), principal: context.principal?.name ?? "", method: context.method.path,
                customerIDs: customerIDs, outcome: "OK", detail: "read", requestID: context.requestID, peer: context.peer ?? ""))
    }

    /// Runs a write; when it throws, records the failed attempt (its outcome the status the
    /// caller gets) and rethrows. A successful write recorded its own event in its transaction.
    func write<T>(_ context: CallContext, customerIDs: [String], _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let trail {
                trail.record(
                    AuditEntry(
                        time: now(), principal: context.principal?.name ?? "", method: context.method.path,
                        customerIDs: customerIDs.filter { !$0.isEmpty }, outcome: Self.outcome(of: error), detail: "failed",
                        requestID: context.requestID, peer: context.peer ?? ""))
            }
            throw error
        }
    }

    /// The status name a caller sees for `error`.
    static func outcome(of error: any Error) -> String {
        switch error {
        case let error as RPCError: "\(error.code)"
        case is CancellationError: "CANCELLED"
        default: "INTERNAL"
        }
    }
}

extension Array where Element == String {
    /// The distinct ids, in the order first seen.
    func uniqued() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
