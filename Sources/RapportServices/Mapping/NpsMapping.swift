import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import SwiftProtobuf

extension NpsTally {
    /// Counts and NPS as the wire reports them.
    var wire: Rapport_V1_NpsFigures {
        .with {
            $0.responses = Int64(responses)
            $0.promoters = Int64(promoters)
            $0.passives = Int64(passives)
            $0.detractors = Int64(detractors)
            $0.nps = nps
        }
    }
}

extension NpsReport {
    /// The wire report: group keys as callers know them, ordered by that key.
    func wire(groupedBy dimension: NpsDimension?) -> Rapport_V1_NpsReport {
        .with {
            $0.overall = overall.wire
            guard let dimension else { return }
            $0.groups = groups
                .map { group in (key: dimension.wireKey(group.key), figures: group.tally.wire) }
                .sorted { $0.key < $1.key }
                .map { group in .with { $0.key = group.key; $0.figures = group.figures } }
        }
    }
}

extension NpsDimension {
    /// The wire key of a stored group key: the proto enum value name for an enum dimension
    /// ("VALUE_TIER_AFFLUENT", "LIFECYCLE_STAGE_DECLINE", "CHANNEL_BRANCH"), the branch id as it
    /// is. A key the domain does not know (never written by this daemon) is passed through.
    func wireKey(_ stored: String) -> String {
        switch self {
        case .valueTier: Self.name(stored, ValueTier.self, Rapport_V1_ValueTier.self, "rapport.v1.ValueTier")
        case .lifecycleStage: Self.name(stored, LifecycleStage.self, Rapport_V1_LifecycleStage.self, "rapport.v1.LifecycleStage")
        case .channel: Self.name(stored, Channel.self, Rapport_V1_Channel.self, "rapport.v1.Channel")
        case .branch: stored
        }
    }

    /// The proto name of the `Domain` case stored as `stored`, or `stored` itself.
    private static func name<Domain: WireMappedEnum & RawRepresentable<String>, Proto: SwiftProtobuf.Enum>(
        _ stored: String, _ domain: Domain.Type, _ proto: Proto.Type, _ enumName: String
    ) -> String {
        Domain(rawValue: stored).flatMap { ProtoEnumNames.name(of: $0.wire(Proto.self), in: enumName) } ?? stored
    }
}
