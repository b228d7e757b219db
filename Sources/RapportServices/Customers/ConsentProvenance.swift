import Foundation
import RapportAccess
import RapportDomain
import RapportWire

/// Who recorded a consent decision and how far back it may be dated: provenance comes from the
/// authenticated principal, not from caller text.
public enum ConsentProvenance {
    /// How far back `decided_at` may lie without `Permission.backdateConsent`: a week covers a
    /// paper form keyed in after a weekend or a holiday.
    public static let defaultBackdatingWindow: TimeInterval = 7 * 24 * 60 * 60

    /// How far before the customer's creation a decision may still be dated: the calling service's
    /// clock and the daemon's differ, and a decision keyed to the second right after the create can
    /// land a fraction of a second before it.
    public static let creationClockSkew: TimeInterval = 5 * 60

    /// What `audit` detail a backdated decision's write carries.
    static let backdatedDetail = "consent.backdated"

    /// The decisions as recorded by `principal`: `recorded_by` becomes its name, and a name the
    /// caller put in `recorded_by` is kept as `acting_for` unless that is set. Without a principal
    /// (a daemon serving without credentials) the caller's text stands.
    static func attributed(_ decisions: [ConsentDecision], to principal: Principal?) -> [ConsentDecision] {
        guard let principal else { return decisions }
        return decisions.map { decision in
            var attributed = decision
            let named = decision.recordedBy.trimmingCharacters(in: .whitespacesAndNewlines)
            if attributed.actingFor == nil, !named.isEmpty, named != principal.name {
                attributed.actingFor = decision.recordedBy
            }
            attributed.recordedBy = principal.name
            return attributed
        }
    }

    /// Checks every `decided_at` against the customer's creation and the backdating window.
    ///
    /// - Returns: whether any decision lies further back than the window (allowed only with
    ///   `Permission.backdateConsent`, and then marked in the audit trail).
    /// - Throws: INVALID_ARGUMENT for a decision before the customer was created (beyond the
    ///   allowed clock skew);
    ///   PERMISSION_DENIED for one beyond the window when the principal may not backdate.
    static func checkDates(
        _ decisions: [ConsentDecision], customerCreatedAt: Date, now: Date, window: TimeInterval, principal: Principal?
    ) throws(RPCError) -> Bool {
        var backdated = false
        for (index, decision) in decisions.enumerated() {
            let field = "decisions[\(index)].decided_at"
            if decision.decidedAt < customerCreatedAt.addingTimeInterval(-Self.creationClockSkew) {
                throw RPCError(
                    code: .invalidArgument,
                    message: "\(field): must not lie before the customer was created "
                        + "(\(Self.iso(customerCreatedAt))); a decision cannot predate the customer's record",
                    logSummary: "\(path: field): before the customer was created")
            }
            if now.timeIntervalSince(decision.decidedAt) > window {
                guard principal?.may(.backdateConsent) == true else {
                    throw RPCError(
                        code: .permissionDenied,
                        message: "\(field): lies more than \(Int(window / 3600)) hours in the past; recording it needs the "
                            + "\(Permission.backdateConsent.rawValue) permission",
                        logSummary: "\(path: field): backdated without permission")
                }
                backdated = true
            }
        }
        return backdated
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
