import Foundation
import RapportDomain
import Testing

@Suite("Interactions: follow-up SLA")
struct FollowUpScheduleTests {
    let schedule = FollowUpSchedule(policy: .defaults)

    @Test("A follow-up is due 24 hours after the response or complaint occurred")
    func dueAt() {
        #expect(schedule.sla == 86_400)
        let complaint = validInteraction(.complaint)
        #expect(schedule.dueAt(occurredAt: complaint.occurredAt) == complaint.occurredAt.addingTimeInterval(86_400))
        #expect(FollowUpSchedule(sla: 3600).dueAt(occurredAt: noon) == noon.addingTimeInterval(3600))
    }

    @Test("Overdue only once the due time has passed; exactly at the due time is on time", arguments: [
        (-86_400.0, false), (-0.001, false), (0, false), (0.001, true), (3600, true),
    ])
    func overdue(_ secondsAfterDue: TimeInterval, _ overdue: Bool) {
        let due = noon
        #expect(FollowUpSchedule.isOverdue(dueAt: due, now: due.addingTimeInterval(secondsAfterDue)) == overdue)
        let item = FollowUpItem(interaction: validInteraction(.complaint), reason: .complaint, dueAt: due)
        #expect(item.isOverdue(now: due.addingTimeInterval(secondsAfterDue)) == overdue)
    }

    @Test("Complaints and detractor responses open items; other interactions do not")
    func items() {
        let complaint = validInteraction(.complaint)
        #expect(schedule.item(for: complaint) == FollowUpItem(
            interaction: complaint, reason: .complaint, dueAt: complaint.occurredAt.addingTimeInterval(86_400)))
        var detractor = validInteraction(.surveyResponse)
        detractor.survey?.npsScore = 6
        #expect(schedule.item(for: detractor)?.reason == .detractor)
        var passive = detractor
        passive.survey?.npsScore = 7
        #expect(schedule.item(for: passive) == nil)
        #expect(schedule.item(for: validInteraction(.inquiry)) == nil)
        #expect(schedule.item(for: validInteraction(.followUp)) == nil)
    }

    @Test("A complaint logged late is already into its SLA")
    func loggedLate() throws {
        var complaint = validInteraction(.complaint)
        complaint.occurredAt = noon.addingTimeInterval(-2 * 86_400)
        let item = try #require(schedule.item(for: complaint))
        #expect(item.isOverdue(now: noon))
    }

    @Test("The queue runs earliest due first, then by interaction id")
    func order() {
        func item(_ id: String, dueIn seconds: TimeInterval) -> FollowUpItem {
            var interaction = validInteraction(.complaint)
            interaction.id = id
            return FollowUpItem(interaction: interaction, reason: .complaint, dueAt: noon.addingTimeInterval(seconds))
        }
        let items = [item("c", dueIn: 60), item("b", dueIn: -60), item("d", dueIn: -60), item("a", dueIn: 0)]
        #expect(items.sorted(by: FollowUpSchedule.precedes).map(\.interaction.id) == ["b", "d", "a", "c"])
        let overdueFirst = items.sorted(by: FollowUpSchedule.precedes).map { $0.isOverdue(now: noon) }
        #expect(overdueFirst == [true, true, false, false])
    }
}
