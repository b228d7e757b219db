/// What logging an offer interaction records besides the row: its outcome and the reason codes
/// the offer was made with (counted in the offer statistics; an acceptance also adds the holding).
public struct OfferOutcomeEffect: Sendable, Hashable {
    public var outcome: OfferOutcome
    /// The reason codes (`COHOLDING`, `RECENT_INTEREST`, …) the offer was ranked with.
    public var reasonCodes: [String]

    public init(outcome: OfferOutcome, reasonCodes: [String] = []) {
        self.outcome = outcome
        self.reasonCodes = reasonCodes
    }

    /// Each non-empty code once, in first-seen order: an offer counts once under each reason,
    /// and the empty code is the product's total, never a reason.
    public var distinctReasonCodes: [String] {
        var seen: Set<String> = []
        return reasonCodes.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}

extension OfferOutcome {
    /// The interaction kind an outcome is logged as.
    public var interactionKind: InteractionKind {
        switch self {
        case .presented: .offerPresented
        case .accepted: .offerAccepted
        case .declined: .offerDeclined
        case .ignored: .offerIgnored
        }
    }
}

extension InteractionKind {
    /// The offer outcome this kind records, or nil for a kind that is no offer outcome.
    public var offerOutcome: OfferOutcome? {
        switch self {
        case .offerPresented: .presented
        case .offerAccepted: .accepted
        case .offerDeclined: .declined
        case .offerIgnored: .ignored
        default: nil
        }
    }
}
