import Foundation
import RapportDomain

/// Builds one customer's interactions from their plan.
///
/// The plan's count of contacts is placed on the calendar first (in stretches that give each
/// pattern its shape), then walked in time order: each slot becomes a contact, and a contact that
/// calls for an answer (a complaint or detractor response its follow-up, an offer its acceptance
/// or refusal) takes the next slot for it, timed from the contact instead. So the history holds
/// exactly the planned count, and answers never come before what they answer.
struct HistoryBuilder {
    let calendar: ContactCalendar
    let customer: ContactProfile
    let plan: HistoryPlan
    /// The first day contacts may fall on: the day the customer joined, or the log's first day.
    let startDay: Int
    let followUpSLA: TimeInterval
    var random: SeededRandom
    /// The interactions made so far, in the order made.
    var drafts: [InteractionDraft] = []

    init(
        calendar: ContactCalendar, customer: ContactProfile, plan: HistoryPlan, startDay: Int, followUpSLA: TimeInterval,
        random: SeededRandom
    ) {
        self.calendar = calendar
        self.customer = customer
        self.plan = plan
        self.startDay = startDay
        self.followUpSLA = followUpSLA
        self.random = random
    }

    /// The interactions, oldest first; follow-ups point at earlier positions.
    mutating func build() -> [InteractionDraft] {
        let days = calendar.days(stretches(), random: &random)
        var slot = 0
        while slot < days.count {
            let opening = slot == 0 && plan.pattern == .new
            let contact = opening ? accountOpening() : contact(on: days[slot])
            drafts.append(contact)
            slot += 1
            if slot < days.count, let answer = answer(to: drafts.count - 1) {
                drafts.append(answer)
                slot += 1
            }
        }
        return sortedByTime()
    }

    /// Where the plan's contacts fall: evenly (with the seasons) for steady customers; a busy
    /// spell 90–180 days ago and little since for declining ones; an onboarding burst for new ones.
    private mutating func stretches() -> [ContactCalendar.Stretch] {
        let today = calendar.todayIndex
        switch plan.pattern {
        case .steady:
            return [.init(days: startDay...today, count: plan.count)]
        case .declining:
            let busy = max(6, plan.count * 3 / 10)
            let since = Int(Double(busy) * 0.3 * random.unit())
            return [
                .init(days: startDay...(today - 180), count: plan.count - busy - since),
                .init(days: (today - 179)...(today - 90), count: busy),
                .init(days: (today - 89)...today, count: since),
            ]
        case .new:
            let onboardingEnd = startDay + 29
            guard onboardingEnd < today else { return [.init(days: startDay...today, count: plan.count)] }
            let onboarding = max(1, plan.count * 45 / 100)
            return [
                .init(days: startDay...onboardingEnd, count: onboarding),
                .init(days: (onboardingEnd + 1)...today, count: plan.count - onboarding),
            ]
        }
    }

    /// The drafts by occurrence time (ties in the order made), follow-up positions remapped.
    private func sortedByTime() -> [InteractionDraft] {
        let order = drafts.indices.sorted { (drafts[$0].occurredAt, $0) < (drafts[$1].occurredAt, $1) }
        var position = [Int](repeating: 0, count: drafts.count)
        for (new, old) in order.enumerated() { position[old] = new }
        return order.map { old in
            var draft = drafts[old]
            draft.followUpOf = draft.followUpOf.map { position[$0] }
            return draft
        }
    }
}
