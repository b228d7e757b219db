import Foundation

/// The complaints and detractor responses still waiting for a follow-up on a given day.
enum OpenCases {
    /// Items open at the end of `day`: those open now that were raised by then, and those in the
    /// history raised by then with no follow-up by then (answered only later, so open on the day).
    /// Earliest due first.
    static func open(_ evidence: RecommendationContext, on day: CalendarDate, sla: TimeInterval) -> [FollowUpItem] {
        let end = day.adding(days: 1).utcStart
        var items = evidence.openFollowUps.filter { $0.interaction.occurredAt < end }
        var known = Set(items.map(\.interaction.id))
        let answered = Set(evidence.history.compactMap { $0.kind == .followUp && $0.occurredAt < end ? $0.followUpOf : nil })
        let schedule = FollowUpSchedule(sla: sla)
        for interaction in evidence.history where interaction.occurredAt < end && !answered.contains(interaction.id) {
            guard !known.contains(interaction.id), let item = schedule.item(for: interaction) else { continue }
            items.append(item)
            known.insert(interaction.id)
        }
        return items.sorted { ($0.dueAt, $0.interaction.id) < ($1.dueAt, $1.interaction.id) }
    }
}
