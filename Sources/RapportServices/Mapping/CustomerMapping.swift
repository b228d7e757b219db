import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf

extension Customer {
    /// The wire form of a stored customer, segments and reasons included.
    var wire: Rapport_V1_Customer {
        .with {
            $0.id = id
            $0.externalRef = externalRef ?? ""
            $0.profile = profile.wire
            $0.segmentation = segmentation.wire
            $0.createTime = .millisecondPrecise(createdAt)
            $0.updateTime = .millisecondPrecise(updatedAt)
            $0.etag = etag
        }
    }
}

extension ConsentDecision {
    /// A decision from a request; `decided_at` defaults to `now` when the caller left it unset.
    /// - Throws: a failure naming the field for an unset enum or source, or a `decided_at`
    ///   outside what a Timestamp may hold (through `date(field:)`, like every wire instant).
    init(wire: Rapport_V1_ConsentDecision, field: String, now: Date) throws(ValidationFailure) {
        self.init(
            channel: try wire.channel.required(field: "\(field).channel"),
            purpose: try wire.purpose.required(field: "\(field).purpose"),
            granted: wire.granted,
            decidedAt: wire.hasDecidedAt ? try wire.decidedAt.date(field: "\(field).decided_at") : now,
            source: try wire.source.required(field: "\(field).source", reason: "is required (channel, branch or system)"),
            sourceDetail: wire.sourceDetail,
            recordedBy: wire.recordedBy,
            actingFor: wire.actingFor.isEmpty ? nil : wire.actingFor
        )
    }

    var wire: Rapport_V1_ConsentDecision {
        .with {
            $0.channel = channel.wire()
            $0.purpose = purpose.wire()
            $0.granted = granted
            $0.decidedAt = .millisecondPrecise(decidedAt)
            $0.source = source.wire()
            $0.sourceDetail = sourceDetail
            $0.recordedBy = recordedBy
            $0.actingFor = actingFor ?? ""
        }
    }
}
