import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportWire

extension CustomerService {
    public func setConsent(
        _ request: Rapport_V1_SetConsentRequest, context: CallContext
    ) async throws -> Rapport_V1_SetConsentResponse {
        guard !request.customerID.isEmpty else { throw Self.customerIDRequired }
        // Counted before any is mapped, so an oversized request costs no more than the count.
        let limit = ConsentLedger.maxDecisionsPerRequest
        guard request.decisions.count <= limit else {
            throw RPCError(validation: ValidationFailure(
                field: "decisions",
                reason: "must contain at most \(limit) decisions per request (got \(request.decisions.count))"))
        }
        let now = now()
        let decisions = try invalidArgument { () throws(ValidationFailure) -> [ConsentDecision] in
            var decisions: [ConsentDecision] = []
            for (index, decision) in request.decisions.enumerated() {
                decisions.append(try ConsentDecision(wire: decision, field: "decisions[\(index)]", now: now))
            }
            return decisions
        }
        try check(ConsentLedger.validate(decisions, now: now))
        let history = try await errors.map { try await store.appendConsent(customerID: request.customerID, decisions) }
        return .with { $0.current = ConsentLedger.current(history).map(\.wire) }
    }

    static let customerIDRequired = RPCError(
        code: .invalidArgument, message: "customer_id is required", logSummary: "customer_id: is required")

    public func getConsent(
        _ request: Rapport_V1_GetConsentRequest, context: CallContext
    ) async throws -> Rapport_V1_GetConsentResponse {
        guard !request.customerID.isEmpty else { throw Self.customerIDRequired }
        let history = try await errors.map { try await store.consentHistory(customerID: request.customerID) }
        return .with {
            $0.current = ConsentLedger.current(history).map(\.wire)
            if request.includeHistory { $0.history = history.map(\.wire) }
        }
    }
}
