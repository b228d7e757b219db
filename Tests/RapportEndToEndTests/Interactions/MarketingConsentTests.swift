import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("InteractionService: marketing consent")
struct MarketingConsentTests {
    @Test func marketingAndOfferPresentationNeedMarketingConsentOnTheirChannel() async throws {
        try await InteractionHarness.run { world in
            let customer = try await world.customer()
            let id = customer.id
            /// Logs `kind` on `channel`; nil when recorded, else the status code.
            @Sendable func attempt(_ kind: Rapport_V1_InteractionKind, _ channel: Rapport_V1_Channel) async -> RPCError? {
                do {
                    _ = try await world.log(InteractionFixtures.interaction(id, kind, channel: channel, at: world.clock.now))
                    return nil
                } catch let error as RPCError {
                    return error
                } catch {
                    return RPCError(code: .unknown, message: "\(error)")
                }
            }
            let sms = await attempt(.marketingContact, .sms)
            #expect(sms?.code == .failedPrecondition)
            #expect(sms?.message.contains("CONSENT_CHANNEL_SMS") == true, "\(String(describing: sms))")
            #expect(sms?.message.contains("CONSENT_PURPOSE_MARKETING") == true)
            #expect(await attempt(.offerPresented, .email)?.code == .failedPrecondition)
            #expect(await attempt(.marketingContact, .branch)?.code == .failedPrecondition)
            // Accepted and declined offers and every other kind need no consent.
            #expect(await attempt(.offerAccepted, .sms) == nil)
            #expect(await attempt(.offerDeclined, .email) == nil)
            #expect(await attempt(.inquiry, .sms) == nil)

            // Consent for service messages is not consent to marketing.
            try await world.setConsent(id, .sms, purpose: .service, granted: true)
            #expect(await attempt(.marketingContact, .sms)?.code == .failedPrecondition)

            try await world.setConsent(id, .email, granted: true)
            #expect(await attempt(.marketingContact, .email) == nil)
            #expect(await attempt(.offerPresented, .email) == nil)
            // Channels without a consent channel of their own take marketing consent on any channel.
            #expect(await attempt(.marketingContact, .branch) == nil)
            #expect(await attempt(.offerPresented, .relationshipManager) == nil)
            // The others still need their own.
            #expect(await attempt(.marketingContact, .sms)?.code == .failedPrecondition)
            #expect(await attempt(.offerPresented, .callCentre)?.code == .failedPrecondition)
            #expect(await attempt(.marketingContact, .mobileApp)?.code == .failedPrecondition)

            try await world.setConsent(id, .phone, granted: true)
            #expect(await attempt(.offerPresented, .callCentre) == nil)
            #expect(await attempt(.marketingContact, .phone) == nil)
            try await world.setConsent(id, .appPush, granted: true)
            #expect(await attempt(.marketingContact, .mobileApp) == nil)

            // The latest decision wins: a withdrawal applies at once.
            try await world.setConsent(id, .email, granted: false, at: Int64(world.clock.now.timeIntervalSince1970) + 60)
            #expect(await attempt(.marketingContact, .email)?.code == .failedPrecondition)

            // Recorded: 3 kinds without consent + 4 after email + 2 after phone + 1 after app push.
            #expect(try await world.history(of: id).count == 10)
        }
    }
}
