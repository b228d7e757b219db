import Foundation

/// When the closed-loop follow-up of a detractor response or complaint is due, and when it is overdue.
///
/// Due means "by": the follow-up is due at `occurredAt + SLA` and overdue only once that instant
/// has passed, so a follow-up logged exactly at the due time is on time. The SLA runs from when
/// the response or complaint happened, not from when it was logged: a complaint logged a day
/// late is already a day into its SLA.
public struct FollowUpSchedule: Sendable, Hashable {
    /// How long after the interaction its follow-up is due.
    public var sla: TimeInterval

    public init(sla: TimeInterval) {
        self.sla = sla
    }

    /// The schedule of `policy.followUpSLASeconds`.
    public init(policy: InteractionPolicy) {
        self.init(sla: policy.followUpSLA)
    }

    /// When the follow-up of an interaction that occurred at `occurredAt` is due.
    public func dueAt(occurredAt: Date) -> Date {
        occurredAt.addingTimeInterval(sla)
    }

    /// The queue item `interaction` opens, or nil when it needs no follow-up (see `Interaction.followUpReason`).
    public func item(for interaction: Interaction) -> FollowUpItem? {
        interaction.followUpReason.map {
            FollowUpItem(interaction: interaction, reason: $0, dueAt: dueAt(occurredAt: interaction.occurredAt))
        }
    }

    /// Whether a follow-up due at `dueAt` is overdue at `now`: strictly after the due time.
    public static func isOverdue(dueAt: Date, now: Date) -> Bool {
        now > dueAt
    }

    /// The queue's order: earliest due first, so overdue items come first; ties by interaction id,
    /// which gives the store's keyset pages a total order.
    public static func precedes(_ lhs: FollowUpItem, _ rhs: FollowUpItem) -> Bool {
        (lhs.dueAt, lhs.interaction.id) < (rhs.dueAt, rhs.interaction.id)
    }
}

extension FollowUpItem {
    /// Whether this item's follow-up is overdue at `now` (see `FollowUpSchedule.isOverdue`).
    public func isOverdue(now: Date) -> Bool {
        FollowUpSchedule.isOverdue(dueAt: dueAt, now: now)
    }
}
