import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf
import Testing

@testable import RapportServices

@Suite("Interaction mapping: wire ↔ domain")
struct InteractionMappingTests {
    private let now = ServiceFixtures.now

    private func map(_ wire: Rapport_V1_Interaction, prefix: String = "interaction") throws(ValidationFailure) -> Interaction {
        try Interaction(wire: wire, field: prefix, id: "int_new", recordedAt: now)
    }

    private func failure(_ change: (inout Rapport_V1_Interaction) -> Void, prefix: String = "interaction") -> ValidationFailure? {
        var wire = ServiceFixtures.wire(.complaint)
        change(&wire)
        do throws(ValidationFailure) {
            _ = try map(wire, prefix: prefix)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyFieldSurvivesTheRoundTrip() throws {
        for kind in [Rapport_V1_InteractionKind.surveyResponse, .complaint, .followUp, .note] {
            let wire = ServiceFixtures.wire(kind)
            let domain = try map(wire)
            #expect(domain.id == "int_new" && domain.recordedAt == now)
            var expected = wire
            expected.id = "int_new"
            expected.recordedAt = .millisecondPrecise(now)
            #expect(domain.wire == expected, "\(kind)")
        }
    }

    @Test func emptyFollowUpOfIsNone() throws {
        #expect(try map(ServiceFixtures.wire(.inquiry)).followUpOf == nil)
        #expect(try map(ServiceFixtures.wire(.followUp)).followUpOf == "int_1")
    }

    @Test func timestampsGoOutToTheMillisecond() throws {
        var wire = ServiceFixtures.wire()
        wire.occurredAt = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 123_456_789)
        let out = try map(wire).wire
        #expect(out.occurredAt == Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 123_000_000))
        let before1970 = Google_Protobuf_Timestamp.millisecondPrecise(Date(timeIntervalSince1970: -1.25))
        #expect(before1970 == Google_Protobuf_Timestamp(seconds: -2, nanos: 750_000_000))
    }

    @Test(arguments: [
        ("interaction.id", "is assigned by the daemon; leave empty"),
        ("interaction.recorded_at", "is assigned by the daemon; leave empty"),
    ])
    func daemonAssignedFieldsAreRefused(field: String, reason: String) {
        let found = failure {
            if field.hasSuffix(".id") { $0.id = "int_mine" } else { $0.recordedAt = Google_Protobuf_Timestamp(date: now) }
        }
        #expect(found == ValidationFailure(field: field, reason: reason))
    }

    @Test func enumsMustBeKnownAndSpecified() {
        #expect(failure { $0.channel = .unspecified }?.field == "interaction.channel")
        #expect(failure { $0.channel = .UNRECOGNIZED(42) } == ValidationFailure(field: "interaction.channel", reason: "unknown value 42"))
        #expect(failure { $0.kind = .unspecified }?.reason.hasPrefix("is required") == true)
        #expect(failure { $0.kind = .UNRECOGNIZED(13) }?.field == "interaction.kind")
        #expect(failure { $0.complaint.category = .unspecified }?.field == "interaction.complaint.category")
        #expect(failure { $0.complaint.severity = .UNRECOGNIZED(9) }?.field == "interaction.complaint.severity")
    }

    @Test func occurredAtIsRequiredAndRepresentable() {
        #expect(failure { $0.clearOccurredAt() }?.field == "interaction.occurred_at")
        #expect(failure { $0.occurredAt = Google_Protobuf_Timestamp(seconds: Int64.max / 2, nanos: 0) }?.field == "interaction.occurred_at")
        #expect(failure { $0.occurredAt = Google_Protobuf_Timestamp(seconds: 0, nanos: -1) }?.field == "interaction.occurred_at")
    }

    @Test func pathsFollowTheItemsPrefix() {
        #expect(failure({ $0.channel = .unspecified }, prefix: "items[3].interaction")?.field == "items[3].interaction.channel")
    }

    @Test func followUpItemsReportOverdueAtTheInjectedClock() throws {
        let interaction = try map(ServiceFixtures.wire(.complaint))
        let item = FollowUpItem(interaction: interaction, reason: .complaint, dueAt: now)
        #expect(item.wire(now: now).overdue == false)
        #expect(item.wire(now: now.addingTimeInterval(0.001)).overdue == true)
        #expect(item.wire(now: now).reason == .complaint)
    }

    @Test func activityDaysReadAsTheStartOfTheirUTCDay() {
        let summary = ActivitySummary(
            contactsLast90Days: 3, contactsPrevious90Days: 9, complaintsLast90Days: 1,
            firstContact: CalendarDate(year: 1969, month: 12, day: 31), lastContact: CalendarDate(year: 2025, month: 6, day: 15))
        let wire = summary.wire
        #expect(wire.firstContactAt.seconds == -86_400)
        #expect(wire.lastContactAt.date == ServiceFixtures.now.addingTimeInterval(-12 * 3600))
        #expect(wire.contactsPrevious90Days == 9)
        let empty = ActivitySummary(contactsLast90Days: 0, contactsPrevious90Days: 0, complaintsLast90Days: 0).wire
        #expect(!empty.hasFirstContactAt && !empty.hasLastContactAt)
    }
}
