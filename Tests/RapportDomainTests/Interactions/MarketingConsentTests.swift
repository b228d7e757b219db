import Foundation
import RapportDomain
import Testing

@Suite("Interactions: marketing consent")
struct MarketingConsentTests {
    /// The mapping of the brief, one row per channel.
    static let mappingTable: [(Channel, ConsentChannel?)] = [
        (.sms, .sms), (.email, .email), (.phone, .phone), (.callCentre, .phone), (.mobileApp, .appPush),
        (.branch, nil), (.relationshipManager, nil), (.web, nil), (.chat, nil), (.social, nil), (.atm, nil),
    ]

    @Test("Every channel maps to its consent channel, or to none", arguments: mappingTable)
    func mapping(_ channel: Channel, _ consentChannel: ConsentChannel?) {
        #expect(MarketingConsent.consentChannel(for: channel) == consentChannel)
    }

    @Test("The mapping table covers every channel once")
    func everyChannelCovered() {
        let channels = Self.mappingTable.map(\.0)
        #expect(Set(channels) == Set(Channel.allCases))
        #expect(channels.count == Channel.allCases.count)
    }

    @Test("A channel with its own consent needs marketing consent on exactly that channel", arguments: [
        (Channel.sms, ConsentChannel.sms), (.email, .email), (.phone, .phone), (.callCentre, .phone), (.mobileApp, .appPush),
    ])
    func ownChannel(_ channel: Channel, _ needed: ConsentChannel) {
        let others = ConsentChannel.allCases.filter { $0 != needed }.map { decision($0, .marketing, true) }
        #expect(!MarketingConsent.verdict(forMarketingOn: channel, consents: others).isAllowed)
        let serviceOnly = [decision(needed, .service, true), decision(needed, .profiling, true)]
        #expect(!MarketingConsent.verdict(forMarketingOn: channel, consents: serviceOnly).isAllowed)
        #expect(MarketingConsent.verdict(forMarketingOn: channel, consents: [decision(needed, .marketing, true)]) == .allowed)
    }

    @Test("A channel without consent of its own needs marketing consent on any channel", arguments: [
        Channel.branch, .relationshipManager, .web, .chat, .social, .atm,
    ])
    func anyChannel(_ channel: Channel) {
        for consentChannel in ConsentChannel.allCases {
            #expect(MarketingConsent.verdict(forMarketingOn: channel, consents: [decision(consentChannel, .marketing, true)]) == .allowed)
        }
        #expect(!MarketingConsent.verdict(forMarketingOn: channel, consents: []).isAllowed)
        let noMarketing = ConsentChannel.allCases.flatMap { [decision($0, .service, true), decision($0, .marketing, false)] }
        #expect(!MarketingConsent.verdict(forMarketingOn: channel, consents: noMarketing).isAllowed)
    }

    @Test("A withdrawal after consent refuses; consent after a withdrawal allows")
    func latestDecisionWins() {
        let withdrawn = [decision(.sms, .marketing, true, at: 0), decision(.sms, .marketing, false, at: 60)]
        #expect(!MarketingConsent.verdict(forMarketingOn: .sms, consents: withdrawn).isAllowed)
        #expect(!MarketingConsent.verdict(forMarketingOn: .branch, consents: withdrawn).isAllowed)
        let regranted = withdrawn + [decision(.sms, .marketing, true, at: 120)]
        #expect(MarketingConsent.verdict(forMarketingOn: .sms, consents: regranted) == .allowed)
    }

    @Test("Refusals say what consent is missing and how to record it")
    func messages() {
        #expect(MarketingConsent.verdict(forMarketingOn: .sms, consents: []) == .refused(message:
            "the customer has not consented to marketing by SMS, which marketing on CHANNEL_SMS needs; "
                + "record their consent (CONSENT_CHANNEL_SMS, CONSENT_PURPOSE_MARKETING) with SetConsent first"))
        #expect(MarketingConsent.verdict(forMarketingOn: .callCentre, consents: []) == .refused(message:
            "the customer has not consented to marketing by phone, which marketing on CHANNEL_CALL_CENTRE needs; "
                + "record their consent (CONSENT_CHANNEL_PHONE, CONSENT_PURPOSE_MARKETING) with SetConsent first"))
        #expect(MarketingConsent.verdict(forMarketingOn: .mobileApp, consents: []) == .refused(message:
            "the customer has not consented to marketing by app push notification, which marketing on CHANNEL_MOBILE_APP needs; "
                + "record their consent (CONSENT_CHANNEL_APP_PUSH, CONSENT_PURPOSE_MARKETING) with SetConsent first"))
        #expect(MarketingConsent.verdict(forMarketingOn: .relationshipManager, consents: []) == .refused(message:
            "the customer has not consented to marketing on any channel, which marketing on CHANNEL_RELATIONSHIP_MANAGER needs; "
                + "record their consent (CONSENT_PURPOSE_MARKETING on at least one channel) with SetConsent first"))
    }

    @Test("Only marketing interactions need consent", arguments: InteractionKind.allCases)
    func onlyMarketing(_ kind: InteractionKind) {
        let interaction = validInteraction(kind, channel: .email)
        let verdict = MarketingConsent.verdict(for: interaction, consents: [decision(.sms, .marketing, true)])
        #expect(verdict.isAllowed == !interaction.isMarketing)
        #expect(MarketingConsent.verdict(for: interaction, consents: [decision(.email, .marketing, true)]) == .allowed)
    }

    @Test("Messages carry no personal data")
    func noPersonalData() {
        var interaction = validInteraction(.marketingContact, channel: .email)
        interaction.customerID = "cus_SECRET"
        interaction.employeeID = "staff-SECRET"
        interaction.summary = "SECRET"
        guard case .refused(let message) = MarketingConsent.verdict(for: interaction, consents: []) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(!message.contains("SECRET"))
    }
}
