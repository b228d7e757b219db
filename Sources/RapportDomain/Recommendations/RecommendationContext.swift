import Foundation

/// What ranking offers for one customer reads from the store, as of one UTC day, in one read.
public struct RecommendationContext: Sendable, Hashable {
    /// The interaction kinds `history` holds: the signals (intent, declines and their cooldown,
    /// earlier offers) and the hard rules (complaints, detractor responses, their follow-ups) read.
    public static let historyKinds: Set<InteractionKind> = [
        .inquiry, .complaint, .surveyResponse, .followUp, .offerPresented, .offerAccepted, .offerDeclined, .offerIgnored,
    ]

    public var customer: Customer
    /// The customer's consent decisions, oldest first (the latest per channel and purpose wins).
    public var consents: [ConsentDecision]
    /// Interactions of `historyKinds` within the look-back window ending with the as-of day, newest first.
    public var history: [Interaction]
    /// Follow-up items open now that were raised by the end of the as-of day, earliest due first.
    public var openFollowUps: [FollowUpItem]

    public init(customer: Customer, consents: [ConsentDecision], history: [Interaction], openFollowUps: [FollowUpItem]) {
        self.customer = customer
        self.consents = consents
        self.history = history
        self.openFollowUps = openFollowUps
    }
}
