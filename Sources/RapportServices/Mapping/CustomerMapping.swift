import Foundation
import RapportDomain
import RapportProto
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

extension Segmentation {
    var wire: Rapport_V1_Segmentation {
        .with {
            $0.valueTier = valueTier.wire()
            $0.valueTierReasons = valueTierReasons
            $0.lifecycleStage = lifecycleStage.wire()
            $0.lifecycleReasons = lifecycleReasons
        }
    }
}

extension ConsentDecision {
    /// A decision from a request; `decided_at` defaults to `now` when the caller left it unset.
    init(wire: Rapport_V1_ConsentDecision, field: String, now: Date) throws(ValidationFailure) {
        guard let channel = try wire.channel.domain(ConsentChannel.self, field: "\(field).channel") else {
            throw ValidationFailure(field: "\(field).channel", reason: "is required")
        }
        guard let purpose = try wire.purpose.domain(ConsentPurpose.self, field: "\(field).purpose") else {
            throw ValidationFailure(field: "\(field).purpose", reason: "is required")
        }
        guard let source = try wire.source.domain(ConsentSource.self, field: "\(field).source") else {
            throw ValidationFailure(field: "\(field).source", reason: "is required (channel, branch or system)")
        }
        self.init(
            channel: channel,
            purpose: purpose,
            granted: wire.granted,
            decidedAt: wire.hasDecidedAt ? wire.decidedAt.date : now,
            source: source,
            sourceDetail: wire.sourceDetail,
            recordedBy: wire.recordedBy
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
        }
    }
}

extension Google_Protobuf_Timestamp {
    /// The store keeps instants to the millisecond; rounding there avoids binary-fraction noise
    /// such as ".740000010" in the nanoseconds.
    static func millisecondPrecise(_ date: Date) -> Google_Protobuf_Timestamp {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        return remainder < 0
            ? Google_Protobuf_Timestamp(seconds: seconds - 1, nanos: Int32(remainder + 1000) * 1_000_000)
            : Google_Protobuf_Timestamp(seconds: seconds, nanos: Int32(remainder) * 1_000_000)
    }
}
