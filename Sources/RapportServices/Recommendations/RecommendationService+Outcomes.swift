import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportStore
import RapportWire

extension RecommendationService {
    /// The most reason codes one outcome may carry.
    static let maxReasonCodes = 16

    public func recordOfferOutcome(
        _ request: Rapport_V1_RecordOfferOutcomeRequest, context: CallContext
    ) async throws -> Rapport_V1_RecordOfferOutcomeResponse {
        try await audit.write(context, customerIDs: [request.customerID]) { try await recordOutcome(request, context: context) }
    }

    func recordOutcome(
        _ request: Rapport_V1_RecordOfferOutcomeRequest, context: CallContext
    ) async throws -> Rapport_V1_RecordOfferOutcomeResponse {
        let now = now()
        let entry = try invalidArgument { () throws(ValidationFailure) in try offerEntry(request, now: now) }
        let code = request.productCode
        // Retired products count too: an offer made before retirement may be answered after it.
        guard try await errors.map({ try await store.product(code: code) }) != nil else {
            throw RPCError(
                code: .notFound, message: "product \(code) not found; offers can be recorded only for catalog products",
                logSummary: "product_code: not in the catalog")
        }
        // Whether an acceptance adds the holding: the store adds it unless the product is held open
        // when the outcome is written, which is what the customer read here shows (a write of the
        // same customer in between is the only way the two can differ).
        let customerID = request.customerID
        let heldBefore = entry.offer?.outcome == .accepted
            ? try await errors.map { try await store.customer(id: customerID) }
                .map { HeldProducts.codes(of: $0.profile.products).contains(code) } ?? false
            : true
        let outcome = try await errors.map { try await store.log(entry, context: logContext(now, audit: context.auditStamp)) }
        var added = false
        switch outcome {
        case .recorded:
            added = !heldBefore
        case .replayed(let interaction):
            context.logger.info("offer outcome replayed", metadata: ["interaction_id": "\(interaction.id)"])
        }
        return Rapport_V1_RecordOfferOutcomeResponse.with {
            $0.interaction = outcome.interaction.wire
            $0.holdingAdded = added
        }.visible(to: context)
    }

    public func getOfferReport(
        _ request: Rapport_V1_GetOfferReportRequest, context: CallContext
    ) async throws -> Rapport_V1_OfferReport {
        let today = CalendarDate(utcDayOf: now())
        let (from, before) = try invalidArgument { () throws(ValidationFailure) in try Self.reportRange(request, today: today) }
        let report = try await errors.map { try await store.offerReport(from: from, before: before) }
        let total = report.byProduct.values.reduce(OfferCounts(), +)
        return .with {
            $0.byProduct = report.byProduct.sorted { $0.key < $1.key }.map { OfferCounts.tally($0.key, $0.value) }
            $0.byReason = report.byReason.sorted { $0.key < $1.key }.map { OfferCounts.tally($0.key, $0.value) }
            $0.total = OfferCounts.tally("", total)
        }
    }

    /// The interaction an outcome is logged as, validated like any logged interaction.
    func offerEntry(_ request: Rapport_V1_RecordOfferOutcomeRequest, now: Date) throws(ValidationFailure) -> NewInteraction {
        if let failure = RequestIDRule.failure(request.requestID) { throw failure }
        if request.customerID.isEmpty { throw ValidationFailure(field: "customer_id", reason: "is required") }
        if request.productCode.isEmpty { throw ValidationFailure(field: "product_code", reason: "is required") }
        if !ProductValidator.isProductCode(request.productCode) {
            throw ValidationFailure(field: "product_code", reason: ProductValidator.codeReason)
        }
        let outcome = try request.outcome.required(OfferOutcome.self, field: "outcome", reason: "is required: presented, accepted, declined or ignored")
        let channel = try request.channel.required(Channel.self, field: "channel", reason: "is required: where the offer was made")
        let reasons = try Self.reasonCodes(request.reasonCodes)
        let occurredAt = request.hasOccurredAt ? try request.occurredAt.date(field: "occurred_at") : now
        let interaction = Interaction(
            id: "", customerID: request.customerID, channel: channel, kind: outcome.interactionKind, occurredAt: occurredAt,
            recordedAt: now, employeeID: request.employeeID, productCode: request.productCode,
            summary: "Offer \(outcome.rawValue): \(request.productCode)")
        do {
            try InteractionValidator.validate(interaction, now: now, policy: interactionPolicy, field: "interaction")
        } catch {
            // The request has no `interaction` message: name its own fields.
            throw ValidationFailure(field: String(error.field.dropFirst("interaction.".count)), reason: error.reason)
        }
        return NewInteraction(
            interaction: interaction, requestID: request.requestID.isEmpty ? nil : request.requestID,
            offer: OfferOutcomeEffect(outcome: outcome, reasonCodes: reasons))
    }

    /// The reason codes, each like a product code (upper-case letters, digits, underscores); a
    /// code given twice counts once (`OfferOutcomeEffect.distinctReasonCodes`).
    static func reasonCodes(_ codes: [String]) throws(ValidationFailure) -> [String] {
        guard codes.count <= maxReasonCodes else {
            throw ValidationFailure(field: "reason_codes", reason: "holds \(codes.count) codes, more than \(maxReasonCodes)")
        }
        for (index, code) in codes.enumerated() where !ProductValidator.isProductCode(code) {
            throw ValidationFailure(
                field: "reason_codes[\(index)]", reason: "must be 1–64 upper-case letters, digits or underscores, e.g. COHOLDING")
        }
        return codes
    }

    /// The report's day range: `from ..< before`, by default everything up to and including today.
    static func reportRange(_ request: Rapport_V1_GetOfferReportRequest, today: CalendarDate) throws(ValidationFailure) -> (CalendarDate, CalendarDate) {
        let from = request.hasFromDay ? try request.fromDay.calendarDate(field: "from_day") : CalendarDate(year: 1970, month: 1, day: 1)
        // Unset: through today, or the one day asked for when from_day lies ahead.
        let before = request.hasBeforeDay ? try request.beforeDay.calendarDate(field: "before_day") : max(today, from).adding(days: 1)
        guard from < before else {
            throw ValidationFailure(field: "before_day", reason: "must be after from_day (\(from.isoString))")
        }
        return (from, before)
    }
}

extension OfferCounts {
    static func tally(_ key: String, _ counts: OfferCounts) -> Rapport_V1_OfferTally {
        .with {
            $0.key = key
            $0.presented = Int64(counts.presented)
            $0.accepted = Int64(counts.accepted)
            $0.declined = Int64(counts.declined)
            $0.ignored = Int64(counts.ignored)
            $0.acceptanceRate = counts.acceptanceRate ?? 0
        }
    }
}
