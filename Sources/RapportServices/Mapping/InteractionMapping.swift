import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf

extension Interaction {
    /// The interaction a LogInteraction(s) item asks to record, stamped with the daemon's `id`
    /// and `recordedAt`.
    ///
    /// Refuses what the wire can say but the model cannot: `id` or `recorded_at` set by the
    /// caller, an unknown or unspecified `channel` or `kind`, a missing or unrepresentable
    /// `occurred_at`, and an unspecified or unknown complaint category or severity. Everything
    /// else is `InteractionValidator`'s to judge. Field paths start with `prefix`
    /// ("interaction" or "items[3].interaction").
    init(wire: Rapport_V1_Interaction, field prefix: String, id: String, recordedAt: Date) throws(ValidationFailure) {
        if !wire.id.isEmpty {
            throw ValidationFailure(field: "\(prefix).id", reason: "is assigned by the daemon; leave empty")
        }
        let channel = try wire.channel.required(
            Channel.self, field: "\(prefix).channel", reason: "is required: where the contact happened, such as CHANNEL_BRANCH")
        let kind = try wire.kind.required(
            InteractionKind.self, field: "\(prefix).kind", reason: "is required: what happened, such as INTERACTION_KIND_INQUIRY")
        guard wire.hasOccurredAt else {
            throw ValidationFailure(field: "\(prefix).occurred_at", reason: "is required: when the contact happened, in UTC")
        }
        let occurredAt = try wire.occurredAt.date(field: "\(prefix).occurred_at")
        if wire.hasRecordedAt {
            throw ValidationFailure(field: "\(prefix).recorded_at", reason: "is assigned by the daemon; leave empty")
        }
        self.init(
            id: id,
            customerID: wire.customerID,
            channel: channel,
            kind: kind,
            occurredAt: occurredAt,
            recordedAt: recordedAt,
            employeeID: wire.employeeID,
            productCode: wire.productCode,
            summary: wire.summary,
            survey: wire.hasSurvey ? SurveyResponse(npsScore: Int(wire.survey.npsScore), reason: wire.survey.reason) : nil,
            complaint: wire.hasComplaint ? try ComplaintDetails(wire: wire.complaint, field: "\(prefix).complaint") : nil,
            followUpOf: wire.followUpOf.isEmpty ? nil : wire.followUpOf
        )
    }

    /// The wire form of a logged interaction; instants to the millisecond, as the store keeps them.
    var wire: Rapport_V1_Interaction {
        .with {
            $0.id = id
            $0.customerID = customerID
            $0.channel = channel.wire()
            $0.kind = kind.wire()
            $0.occurredAt = .millisecondPrecise(occurredAt)
            $0.recordedAt = .millisecondPrecise(recordedAt)
            $0.employeeID = employeeID
            $0.productCode = productCode
            $0.summary = summary
            if let survey {
                $0.survey = .with {
                    $0.npsScore = Int32(clamping: survey.npsScore)
                    $0.reason = survey.reason
                }
            }
            if let complaint {
                $0.complaint = .with {
                    $0.category = complaint.category.wire()
                    $0.severity = complaint.severity.wire()
                }
            }
            $0.followUpOf = followUpOf ?? ""
        }
    }
}

extension ComplaintDetails {
    /// Both parts are required: a complaint without them cannot be routed or reported.
    init(wire: Rapport_V1_ComplaintDetails, field prefix: String) throws(ValidationFailure) {
        self.init(
            category: try wire.category.required(
                field: "\(prefix).category", reason: "is required: what the complaint is about, such as COMPLAINT_CATEGORY_FEES_AND_CHARGES"),
            severity: try wire.severity.required(
                field: "\(prefix).severity", reason: "is required: how serious it is, from COMPLAINT_SEVERITY_LOW to COMPLAINT_SEVERITY_CRITICAL"))
    }
}

extension FollowUpItem {
    /// The wire form, `overdue` judged at `now` (the daemon's clock).
    func wire(now: Date) -> Rapport_V1_FollowUpItem {
        .with {
            $0.interaction = interaction.wire
            $0.reason = reason.wire()
            $0.dueAt = .millisecondPrecise(dueAt)
            $0.overdue = isOverdue(now: now)
        }
    }
}

extension ActivitySummary {
    /// The wire form; the first and last contact are known to the day, so they read as the
    /// start of that UTC day.
    var wire: Rapport_V1_ActivitySummary {
        .with {
            $0.contactsLast90Days = Int32(clamping: contactsLast90Days)
            $0.contactsPrevious90Days = Int32(clamping: contactsPrevious90Days)
            $0.complaintsLast90Days = Int32(clamping: complaintsLast90Days)
            if let firstContact { $0.firstContactAt = firstContact.startTimestamp }
            if let lastContact { $0.lastContactAt = lastContact.startTimestamp }
        }
    }
}
