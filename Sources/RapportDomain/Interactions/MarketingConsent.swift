/// Whether the customer's consent allows a marketing touch (a marketing contact or an offer
/// presentation) on a channel, and if not, what the caller must do first.
///
/// Channels that reach the customer on a device of theirs need marketing consent for that
/// device: SMS → sms, email → email, phone and call centre → phone, mobile app → appPush.
/// Face-to-face and customer-initiated channels (branch, relationship manager, web, chat,
/// social, ATM) have no consent channel of their own; there consent to marketing on any one
/// channel will do, so that a customer who refused all marketing is never marketed to.
///
/// The answer reads consent as the history stands (latest decision wins, see `ConsentLedger`),
/// not as it stood at `occurred_at`: consent and contact are often recorded in the same
/// conversation with timestamps from different clocks, and the bank must not record marketing
/// it has no consent for now.
public enum MarketingConsent {
    /// The answer for one marketing touch.
    public enum Verdict: Sendable, Hashable {
        case allowed
        /// The message for FAILED_PRECONDITION: what consent is missing and how to record it.
        /// It names channels only, never the customer.
        case refused(message: String)

        /// Whether the touch may be logged.
        public var isAllowed: Bool { self == .allowed }
    }

    /// The consent channel that governs marketing on `channel`; nil for channels that have none
    /// of their own (any marketing consent then does).
    public static func consentChannel(for channel: Channel) -> ConsentChannel? {
        switch channel {
        case .sms: .sms
        case .email: .email
        case .phone, .callCentre: .phone
        case .mobileApp: .appPush
        case .branch, .relationshipManager, .web, .chat, .social, .atm: nil
        }
    }

    /// Whether `interaction` may be logged as far as marketing consent goes: always for
    /// interactions that are not marketing (`Interaction.isMarketing`).
    /// - Parameter consents: the customer's consent decisions, the full history or the current state.
    public static func verdict(for interaction: Interaction, consents: [ConsentDecision]) -> Verdict {
        interaction.isMarketing ? verdict(forMarketingOn: interaction.channel, consents: consents) : .allowed
    }

    /// Whether the customer's consent allows marketing on `channel`.
    public static func verdict(forMarketingOn channel: Channel, consents: [ConsentDecision]) -> Verdict {
        if let needed = consentChannel(for: channel) {
            if ConsentLedger.allows(consents, channel: needed, purpose: .marketing) { return .allowed }
            return .refused(message:
                "the customer has not consented to marketing by \(label(needed)), which marketing on \(channel.wireName) needs; "
                    + "record their consent (\(needed.wireName), CONSENT_PURPOSE_MARKETING) with SetConsent first")
        }
        if ConsentChannel.allCases.contains(where: { ConsentLedger.allows(consents, channel: $0, purpose: .marketing) }) {
            return .allowed
        }
        return .refused(message:
            "the customer has not consented to marketing on any channel, which marketing on \(channel.wireName) needs; "
                + "record their consent (CONSENT_PURPOSE_MARKETING on at least one channel) with SetConsent first")
    }

    /// How a consent channel reads in a sentence: "by SMS", "by app push notification".
    private static func label(_ channel: ConsentChannel) -> String {
        switch channel {
        case .sms: "SMS"
        case .email: "email"
        case .phone: "phone"
        case .appPush: "app push notification"
        case .post: "post"
        }
    }
}
