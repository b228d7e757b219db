import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportWire
import SwiftProtobuf
import Testing

@testable import RapportServices

@Suite("InteractionService: GetNpsReport")
struct NpsReportServiceTests {
    private let context = ServiceFixtures.context
    private let from = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 0)

    private func request(days: Double, groupBy: Rapport_V1_NpsDimension = .unspecified) -> Rapport_V1_GetNpsReportRequest {
        .with {
            $0.occurredFrom = from
            $0.occurredBefore = Google_Protobuf_Timestamp(seconds: from.seconds + Int64(days * 86_400), nanos: 0)
            $0.groupBy = groupBy
        }
    }

    @Test func boundsAreRequiredOrderedAndAtMostFiveYearsApart() async {
        let service = ServiceFixtures.service(ScriptedInteractionStore())
        var noStart = request(days: 1)
        noStart.clearOccurredFrom()
        var noEnd = request(days: 1)
        noEnd.clearOccurredBefore()
        let cases: [(Rapport_V1_GetNpsReportRequest, String)] = [
            (noStart, "occurred_from: is required"),
            (noEnd, "occurred_before: is required"),
            (request(days: 0), "occurred_before: must be after occurred_from"),
            (request(days: -1), "occurred_before: must be after occurred_from"),
            (request(days: 1828), "occurred_before: the range from occurred_from must be at most 1827 days"),
            (request(days: 1, groupBy: .UNRECOGNIZED(7)), "group_by: unknown value 7"),
        ]
        for (request, expected) in cases {
            let error = await ServiceFixtures.rpcError { _ = try await service.getNpsReport(request, context: context) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
        }
    }

    @Test func figuresCarryCountsAndNps() async throws {
        let tally = NpsTally(promoters: 5, passives: 3, detractors: 2)
        let store = ScriptedInteractionStore(.init(report: NpsReport(overall: tally, groups: [])))
        let report = try await ServiceFixtures.service(store).getNpsReport(request(days: 1827), context: context)
        #expect(report.overall.responses == 10)
        #expect(report.overall.promoters == 5 && report.overall.passives == 3 && report.overall.detractors == 2)
        #expect(report.overall.nps == 30)
        #expect(report.groups.isEmpty)
    }

    @Test(arguments: [
        (NpsDimension.valueTier, ["mass", "privateBanking", "affluent"], ["VALUE_TIER_AFFLUENT", "VALUE_TIER_MASS", "VALUE_TIER_PRIVATE"]),
        (.lifecycleStage, ["maturity", "decline"], ["LIFECYCLE_STAGE_DECLINE", "LIFECYCLE_STAGE_MATURITY"]),
        (.channel, ["mobileApp", "callCentre", "branch"], ["CHANNEL_BRANCH", "CHANNEL_CALL_CENTRE", "CHANNEL_MOBILE_APP"]),
        (.branch, ["BR2", "", "BR1"], ["", "BR1", "BR2"]),
    ])
    func groupKeysAreWireNamesInKeyOrder(dimension: NpsDimension, stored: [String], expected: [String]) {
        let report = NpsReport(overall: NpsTally(), groups: stored.map { (key: $0, tally: NpsTally(promoters: 1)) })
        #expect(report.wire(groupedBy: dimension).groups.map(\.key) == expected)
    }

    @Test func everyGroupableEnumValueHasItsProtoName() {
        for tier in ValueTier.allCases {
            #expect(NpsDimension.valueTier.wireKey(tier.rawValue).hasPrefix("VALUE_TIER_"))
        }
        for stage in LifecycleStage.allCases {
            #expect(NpsDimension.lifecycleStage.wireKey(stage.rawValue).hasPrefix("LIFECYCLE_STAGE_"))
        }
        for channel in Channel.allCases {
            #expect(NpsDimension.channel.wireKey(channel.rawValue).hasPrefix("CHANNEL_"))
        }
        #expect(NpsDimension.valueTier.wireKey("unheard-of") == "unheard-of")
    }
}
