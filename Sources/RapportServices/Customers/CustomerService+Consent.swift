import Foundation
import RapportDomain
import RapportStore
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportWire

extension CustomerService {
    public func setConsent(
        _ request: Rapport_V1_SetConsentRequest, context: CallContext
    ) async throws -> Rapport_V1_SetConsentResponse {
        try await audit.write(context, customerIDs: [request.customerID]) { try await recordConsent(request, context: context) }
    }

    func recordConsent(
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
            return ConsentProvenance.attributed(decisions, to: context.principal)
        }
        try check(ConsentLedger.validate(decisions, now: now))
        let customerID = request.customerID
        guard let customer = try await errors.map({ try await store.customer(id: customerID) }) else {
            throw RPCError(code: .notFound, message: "no customer with id \(customerID)", logSummary: "customer not found")
        }
        var stamp = context.auditStamp
        if try ConsentProvenance.checkDates(
            decisions, customerCreatedAt: customer.createdAt, now: now, window: consentBackdatingWindow, principal: context.principal)
        {
            stamp.detail = ConsentProvenance.backdatedDetail
        }
        let history = try await errors.map { try await store.appendConsent(customerID: customerID, decisions, audit: stamp) }
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
