import GRDB
import RapportDomain

/// What the stored state must allow before an interaction is logged; each check reads by key only.
enum LogChecks {
    /// The customer's branch and segments as they are now; `.notFound` when there is no such customer.
    /// - Parameter cache: inside a write transaction, the decoded customers it may take them from.
    static func customer(_ db: Database, id: String, cache: CustomerCache? = nil) throws -> InteractionRecord.SegmentSnapshot {
        if let cached = cache?.customerInWriteTransaction(id: id) {
            return InteractionRecord.SegmentSnapshot(
                valueTier: cached.segmentation.valueTier, lifecycleStage: cached.segmentation.lifecycleStage,
                branchID: cached.profile.branchID)
        }
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT value_tier, lifecycle_stage, branch_id FROM customers WHERE id = ?"),
            arguments: [id])
        guard let row else {
            // The id only: messages never carry personal data.
            throw StoreError(.notFound, "no customer with id \(id)")
        }
        let tier = try row.decode(String.self, atIndex: 0)
        let stage = try row.decode(String.self, atIndex: 1)
        guard let valueTier = ValueTier(rawValue: tier), let lifecycleStage = LifecycleStage(rawValue: stage) else {
            throw StoreError(.corrupt, "customer \(id) has an unreadable value tier '\(tier)' or lifecycle stage '\(stage)'")
        }
        return InteractionRecord.SegmentSnapshot(
            valueTier: valueTier, lifecycleStage: lifecycleStage, branchID: try row.decode(String.self, atIndex: 2))
    }

    /// A follow-up must answer an interaction of the same customer.
    static func followUpReference(_ db: Database, _ interaction: Interaction) throws {
        guard let answered = interaction.followUpOf else { return }
        let owner = try String.fetchOne(
            db.cachedStatement(sql: "SELECT customer_id FROM interactions WHERE id = ?"), arguments: [answered])
        guard owner == interaction.customerID else {
            // The same message whether it is missing or another customer's: never confirm that
            // another customer's interaction exists.
            throw StoreError(
                .invalidReference(field: "interaction.follow_up_of"),
                "interaction.follow_up_of: \(answered) is not an interaction of customer \(interaction.customerID)")
        }
    }

    /// A marketing touch needs the customer's marketing consent on its channel (see `MarketingConsent`).
    static func marketingConsent(_ db: Database, _ interaction: Interaction) throws {
        guard interaction.isMarketing else { return }
        let history = try ConsentRecord.history(db, customerID: interaction.customerID)
        if case .refused(let message) = MarketingConsent.verdict(for: interaction, consents: history) {
            throw StoreError(.preconditionFailed, message)
        }
    }

    /// An offer outcome is logged as its own kind, for a product: anything else is the caller's
    /// bug (the services build both from one request), so it is refused before it is counted.
    static func offerOutcome(_ offer: OfferOutcomeEffect?, of interaction: Interaction) throws {
        guard let offer else { return }
        guard interaction.kind == offer.outcome.interactionKind, !interaction.productCode.isEmpty else {
            throw StoreError(
                .other,
                "an offer outcome '\(offer.outcome.rawValue)' must be logged as kind \(offer.outcome.interactionKind.rawValue) "
                    + "with a product code (got kind \(interaction.kind.rawValue), product '\(interaction.productCode)')")
        }
    }
}
