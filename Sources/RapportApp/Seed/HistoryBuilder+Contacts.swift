import Foundation
import RapportDomain

/// The contacts themselves: what each slot becomes, and the answers contacts get.
extension HistoryBuilder {
    /// A new customer's first contact: the account opening, on the day they joined.
    mutating func accountOpening() -> InteractionDraft {
        let channel: Channel = random.weighted([(.branch, 45), (.mobileApp, 30), (.web, 25)])
        return draft(
            .serviceRequest, channel: channel, at: instant(day: startDay, channel: channel), productCode: customer.openingAccount,
            summary: InteractionTexts.accountOpened)
    }

    /// A contact that starts something, on day `day`.
    mutating func contact(on day: Int) -> InteractionDraft {
        var kind = ContactMix.kind(customer, random: &random)
        let channel = ChannelMix.channel(for: kind, customer, random: &random) ?? fallback(&kind)
        let at = instant(day: day, channel: channel)
        switch kind {
        case .surveyResponse:
            let score = ContactMix.npsScore(customer, random: &random)
            var survey = draft(
                kind, channel: channel, at: at, summary: InteractionTexts.summary(kind, channel: channel, product: "", random: &random))
            survey.survey = SurveyResponse(npsScore: score, reason: InteractionTexts.surveyReason(score: score, random: &random))
            return survey
        case .complaint:
            let details = ContactMix.complaint(random: &random)
            var complaint = draft(
                kind, channel: channel, at: at,
                productCode: ContactMix.heldProduct(customer, kind: kind, complaint: details.category, random: &random),
                summary: InteractionTexts.complaint(details.category, random: &random))
            complaint.complaint = details
            return complaint
        case .offerPresented, .marketingContact:
            let product = kind == .offerPresented || random.chance(0.5) ? ContactMix.offeredProduct(customer, random: &random) : ""
            // An offer names its product; with nothing left the customer may be offered, the
            // contact is a general campaign instead (the same marketing consent applies to both).
            let kind = product.isEmpty ? .marketingContact : kind
            return draft(kind, channel: channel, at: at, productCode: product,
                         summary: InteractionTexts.summary(kind, channel: channel, product: product, random: &random))
        default:
            let intent = kind == .inquiry ? ContactMix.intent(customer, daysAgo: calendar.todayIndex - day, random: &random) : nil
            let product = intent ?? ContactMix.heldProduct(customer, kind: kind, random: &random)
            return draft(
                kind, channel: channel, at: at, productCode: product,
                summary: InteractionTexts.summary(kind, channel: channel, product: product, random: &random))
        }
    }

    /// Marketing the customer's consent does not allow becomes an inquiry of theirs instead.
    private mutating func fallback(_ kind: inout InteractionKind) -> Channel {
        kind = .inquiry
        return ChannelMix.channel(for: kind, customer, random: &random) ?? .web
    }

    /// The follow-up or offer answer to the contact at `position`, if it gets one before `now`.
    mutating func answer(to position: Int) -> InteractionDraft? {
        let contact = drafts[position]
        if let reason = contact.followUpReason {
            let outcome = ContactMix.followUpOutcome(random: &random)
            guard outcome != .open else { return nil }
            let delay = ContactMix.followUpDelay(outcome, severity: contact.complaint?.severity, sla: followUpSLA, random: &random)
            guard let channel = ChannelMix.channel(for: .followUp, customer, random: &random) else { return nil }
            let at = calendar.withinHours(contact.occurredAt.addingTimeInterval(delay), channel: channel, random: &random)
            guard at <= calendar.now else { return nil }
            var followUp = draft(
                .followUp, channel: channel, at: at, productCode: contact.productCode,
                summary: InteractionTexts.followUp(of: reason, random: &random))
            followUp.followUpOf = position
            return followUp
        }
        guard contact.kind == .offerPresented else { return nil }
        let response = ContactMix.offerResponse(random: &random)
        guard response != .none else { return nil }
        let kind: InteractionKind = response == .accepted ? .offerAccepted : .offerDeclined
        let at: Date
        let channel: Channel
        if random.chance(0.4) {
            // In the same conversation.
            channel = contact.channel
            at = contact.occurredAt.addingTimeInterval(120 + random.unit() * 1_080)
        } else {
            // Later, after thinking it over: within ten days, most within two.
            channel = ChannelMix.channel(for: kind, customer, random: &random) ?? .web
            let later = contact.occurredAt.addingTimeInterval(3_600 + pow(random.unit(), 2) * 10 * 86_400)
            at = calendar.withinHours(later, channel: channel, random: &random)
        }
        guard at <= calendar.now else { return nil }
        return draft(kind, channel: channel, at: at, productCode: contact.productCode,
                     summary: InteractionTexts.summary(kind, channel: channel, product: contact.productCode, random: &random))
    }

    private mutating func instant(day: Int, channel: Channel) -> Date {
        calendar.instant(day: day, channel: channel, notBefore: calendar.start(ofDay: startDay), random: &random)
    }

    private mutating func draft(
        _ kind: InteractionKind, channel: Channel, at: Date, productCode: String = "", summary: String
    ) -> InteractionDraft {
        InteractionDraft(
            channel: channel, kind: kind, occurredAt: at,
            employeeID: StaffIDs.employee(for: kind, channel: channel, customer, random: &random),
            productCode: productCode, summary: summary, survey: nil, complaint: nil, followUpOf: nil)
    }
}
