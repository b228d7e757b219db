import Foundation
import RapportDomain

/// One synthetic interaction before the store assigns it an id: everything but the ids.
public struct InteractionDraft: Sendable, Hashable {
    public var channel: Channel
    public var kind: InteractionKind
    public var occurredAt: Date
    public var employeeID: String
    public var productCode: String
    public var summary: String
    public var survey: SurveyResponse?
    public var complaint: ComplaintDetails?
    /// For follow-ups: the position in the same history of the interaction it answers (always earlier).
    public var followUpOf: Int?

    /// The interaction with its ids filled in.
    /// - Parameter followUpOf: the id of the interaction at `self.followUpOf`.
    public func interaction(id: String, customerID: String, recordedAt: Date, followUpOf: String?) -> Interaction {
        Interaction(
            id: id, customerID: customerID, channel: channel, kind: kind, occurredAt: occurredAt, recordedAt: recordedAt,
            employeeID: employeeID, productCode: productCode, summary: summary, survey: survey, complaint: complaint,
            followUpOf: followUpOf)
    }
}

/// One synthetic customer's consent and interaction history, oldest interaction first.
public struct SyntheticHistory: Sendable, Hashable {
    public var plan: HistoryPlan
    public var consents: [ConsentDecision]
    public var interactions: [InteractionDraft]

    /// The activity the store will derive from the interactions, as of `today`: what the lifecycle
    /// stage is computed from.
    public func activity(today: CalendarDate) -> ActivitySummary {
        var days: [CalendarDate: DailyActivity] = [:]
        for draft in interactions where draft.countsAsActivity {
            let day = CalendarDate(utcDayOf: draft.occurredAt)
            days[day, default: DailyActivity(day: day, contacts: 0, complaints: 0)].contacts += 1
            if draft.kind == .complaint { days[day, default: DailyActivity(day: day, contacts: 0, complaints: 0)].complaints += 1 }
        }
        return ActivityWindow(today: today).summary(
            of: Array(days.values), firstContact: days.keys.min(), lastContact: days.keys.max())
    }
}

extension InteractionDraft {
    /// Whether the store counts it as activity (see `Interaction.countsAsActivity`).
    var countsAsActivity: Bool { asInteraction.countsAsActivity }

    /// Why it waits for a follow-up, if it does (see `Interaction.followUpReason`).
    var followUpReason: FollowUpReason? { asInteraction.followUpReason }

    /// The draft as an interaction without ids, to ask the domain's questions of it.
    private var asInteraction: Interaction {
        interaction(id: "", customerID: "", recordedAt: occurredAt, followUpOf: nil)
    }
}
