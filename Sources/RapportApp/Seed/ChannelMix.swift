import Foundation
import RapportDomain

/// Which channel a synthetic contact uses: the mobile app and online banking carry most of it,
/// then phone and the call centre, branches, email, SMS, chat and ATMs, a little social media;
/// relationship-manager visits only for customers who have a manager. Older customers lean on
/// branches and the phone, younger ones on the app and chat; a stated preferred channel counts.
enum ChannelMix {
    /// The channel for a contact of `kind`; marketing touches only where consent allows (nil when
    /// it allows none).
    static func channel(for kind: InteractionKind, _ customer: ContactProfile, random: inout SeededRandom) -> Channel? {
        var weights = base(kind).map { ($0.0, $0.1 * factor($0.0, customer)) }
        if kind == .offerPresented || kind == .marketingContact {
            weights = weights.filter { customer.marketingChannels.contains($0.0) }
        }
        guard weights.contains(where: { $0.1 > 0 }) else { return nil }
        return random.weighted(weights)
    }

    /// How much more (or less) this customer uses `channel` than the average customer.
    private static func factor(_ channel: Channel, _ customer: ContactProfile) -> Double {
        if channel == .relationshipManager && customer.relationshipManagerID == nil { return 0 }
        var factor = 1.0
        switch channel {
        case .branch, .phone, .callCentre:
            factor = customer.age >= 65 ? 2.2 : customer.age < 30 ? 0.5 : 1
        case .mobileApp, .chat, .social:
            factor = customer.age >= 65 ? 0.4 : customer.age < 30 ? 1.6 : 1
        case .relationshipManager:
            factor = customer.tier == .privateBanking ? 3 : 2
        case .atm:
            factor = customer.tier == .mass ? 1 : 0.5
        case .email, .sms, .web:
            break
        }
        return channel == customer.preferredChannel ? factor * 1.5 : factor
    }

    /// Channel weights per kind for an average customer.
    private static func base(_ kind: InteractionKind) -> [(Channel, Double)] {
        switch kind {
        case .transaction:
            [(.mobileApp, 45), (.web, 25), (.atm, 12), (.branch, 10), (.phone, 4), (.callCentre, 4)]
        case .inquiry:
            [(.mobileApp, 12), (.web, 14), (.chat, 18), (.callCentre, 20), (.phone, 10), (.branch, 12), (.email, 10),
             (.social, 3), (.relationshipManager, 6)]
        case .serviceRequest:
            [(.mobileApp, 25), (.web, 22), (.callCentre, 18), (.branch, 15), (.email, 8), (.chat, 7), (.phone, 3),
             (.relationshipManager, 5)]
        case .complaint:
            [(.callCentre, 30), (.branch, 18), (.email, 16), (.phone, 10), (.chat, 12), (.social, 6), (.web, 5),
             (.relationshipManager, 5)]
        case .followUp:
            [(.phone, 40), (.callCentre, 25), (.email, 20), (.branch, 10), (.relationshipManager, 15)]
        case .surveyResponse:
            [(.sms, 30), (.email, 30), (.mobileApp, 25), (.web, 15)]
        case .offerPresented:
            [(.mobileApp, 25), (.web, 15), (.email, 20), (.branch, 12), (.callCentre, 8), (.sms, 5), (.relationshipManager, 12)]
        case .offerAccepted, .offerDeclined, .offerIgnored:
            [(.mobileApp, 30), (.web, 30), (.branch, 20), (.callCentre, 10), (.relationshipManager, 10)]
        case .marketingContact:
            [(.email, 40), (.sms, 25), (.mobileApp, 25), (.phone, 10)]
        case .note:
            [(.branch, 30), (.callCentre, 35), (.relationshipManager, 30), (.phone, 5)]
        }
    }
}
