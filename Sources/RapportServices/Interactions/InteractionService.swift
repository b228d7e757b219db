import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportServerStubs
import RapportStore
import RapportWire

/// `rapport.v1.InteractionService`: validates, records and reads the interaction log.
public struct InteractionService: Rapport_V1_InteractionService.ServiceProtocol {
    /// Interactions an export reads per store call; the stream never holds more than this.
    static let exportChunkSize = 500

    let store: any InteractionStore
    let policy: InteractionPolicy
    let segmenter: Segmenter
    let errors: StoreErrorMapping
    let now: @Sendable () -> Date
    /// Records unmasked reads and failed write attempts.
    let audit: AuditRecording

    /// - Parameters:
    ///   - store: the interaction log.
    ///   - policy: limits, the follow-up SLA and the batch size.
    ///   - segmenter: re-computes a customer's segments from their new activity on every log.
    ///   - health: turned NOT_SERVING when the store reports corruption.
    ///   - now: the clock; injected so tests can fix "now" (validation, due times, `overdue`).
    ///   - auditTrail: where unmasked reads and failed writes are recorded; nil records none.
    public init(
        store: any InteractionStore,
        policy: InteractionPolicy = .defaults,
        segmenter: Segmenter,
        health: HealthMonitor,
        now: @escaping @Sendable () -> Date = Date.init,
        auditTrail: (any AuditTrail)? = nil
    ) {
        self.audit = AuditRecording(trail: auditTrail, now: now)
        self.store = store
        self.policy = policy
        self.segmenter = segmenter
        self.errors = StoreErrorMapping(health: health)
        self.now = now
    }

    public func logInteraction(
        _ request: Rapport_V1_LogInteractionRequest, context: CallContext
    ) async throws -> Rapport_V1_Interaction {
        try await audit.write(context, customerIDs: [request.interaction.customerID]) { try await log(request, context: context) }
    }

    func log(
        _ request: Rapport_V1_LogInteractionRequest, context: CallContext
    ) async throws -> Rapport_V1_Interaction {
        let now = now()
        let entry = try invalidArgument { () throws(ValidationFailure) in try newEntry(request, path: nil, now: now) }
        let outcome = try await errors.map { try await store.log(entry, context: logContext(now, audit: context.auditStamp)) }
        // Only replays are logged: building the call's logger for every recorded interaction cost
        // 5% of LogInteraction's CPU, even with debug logging off.
        if case .replayed(let interaction) = outcome {
            context.logger.info("log replayed", metadata: ["interaction_id": "\(interaction.id)"])
        }
        return outcome.interaction.wire.visible(to: context)
    }

    public func logInteractions(
        _ request: Rapport_V1_LogInteractionsRequest, context: CallContext
    ) async throws -> Rapport_V1_LogInteractionsResponse {
        // Ids of the first items only: a refused batch's event names whom it was about, not all of them.
        let customerIDs = request.items.prefix(policy.maxBatchSize).map(\.interaction.customerID)
        return try await audit.write(context, customerIDs: customerIDs) { try await logBatch(request, context: context) }
    }

    func logBatch(
        _ request: Rapport_V1_LogInteractionsRequest, context: CallContext
    ) async throws -> Rapport_V1_LogInteractionsResponse {
        let count = request.items.count
        guard count > 0 else {
            throw RPCError(
                code: .invalidArgument, message: "items must hold at least one LogInteractionRequest", logSummary: "items: empty")
        }
        guard count <= policy.maxBatchSize else {
            throw RPCError(
                code: .invalidArgument,
                message: "items holds \(count) interactions, more than the limit of \(policy.maxBatchSize) per batch; split it",
                logSummary: "items: more than \(count: policy.maxBatchSize)")
        }
        let now = now()
        var rejection = BatchRejection(total: count)
        var entries: [NewInteraction] = []
        entries.reserveCapacity(count)
        for (index, item) in request.items.enumerated() {
            do throws(ValidationFailure) {
                entries.append(try newEntry(item, path: BatchRejection.path(index), now: now))
            } catch {
                rejection.add(index: index, RPCError(validation: error))
            }
        }
        if let error = rejection.error { throw error }
        let outcomes = try await errors.map { () async throws -> [LogOutcome] in
            do {
                return try await store.logBatch(entries, context: logContext(now, audit: context.auditStamp))
            } catch let error as StoreError {
                guard case .batchRejected(let failures) = error.kind else { throw error }
                throw rejected(failures, total: count)
            }
        }
        context.logger.debug("interaction batch logged", metadata: ["items": "\(count)"])
        return Rapport_V1_LogInteractionsResponse.with { $0.interactions = outcomes.map(\.interaction.wire) }.visible(to: context)
    }

    /// The entry to log for one request: mapped, stamped with `now`, and validated.
    /// - Parameter path: the request's path in a batch ("items[3]"), nil for LogInteraction.
    func newEntry(_ request: Rapport_V1_LogInteractionRequest, path: String?, now: Date) throws(ValidationFailure) -> NewInteraction {
        let root = path.map { "\($0)." } ?? ""
        if let failure = RequestIDRule.failure(request.requestID, field: "\(root)request_id") { throw failure }
        let field = "\(root)interaction"
        guard request.hasInteraction else {
            throw ValidationFailure(field: field, reason: "is required: the contact to record")
        }
        // A masked read copied into a write would record the withheld texts as empty.
        guard request.interaction.maskedFields.isEmpty else {
            throw ValidationFailure(
                field: "\(field).masked_fields",
                reason: "is output only: this interaction was read with its texts withheld, so it cannot be logged again")
        }
        // No id yet: the store assigns it in the write transaction, so that ids follow commit order.
        let interaction = try Interaction(wire: request.interaction, field: field, id: "", recordedAt: now)
        try InteractionValidator.validate(interaction, now: now, policy: policy, field: field)
        return NewInteraction(interaction: interaction, requestID: request.requestID.isEmpty ? nil : request.requestID)
    }

    /// What a write needs besides the interactions: the clock, the SLA and the segmenter.
    func logContext(_ now: Date, audit: AuditStamp? = nil) -> LogContext {
        LogContext(now: now, followUpSLA: policy.followUpSLA, segmenter: segmenter, audit: audit)
    }

    /// The status for a batch the store refused, each item's failure as LogInteraction would report it.
    func rejected(_ failures: [BatchItemFailure], total: Int) -> RPCError {
        var rejection = BatchRejection(total: total)
        for failure in failures {
            rejection.add(index: failure.index, errors.status(for: StoreError(failure.kind, failure.message)))
        }
        return rejection.error
            ?? RPCError(
                code: .internal, message: "the store refused the batch without naming an item",
                logSummary: "batch refused without an item")
    }
}
