import Foundation
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf
import Testing

@Suite("InteractionService: GetNpsReport")
struct NpsReportTests {
    /// Figures as expected: counts and the NPS, compared with a tolerance for the division.
    static func expect(
        _ figures: Rapport_V1_NpsFigures, responses: Int64, promoters: Int64, passives: Int64, detractors: Int64, nps: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            [figures.responses, figures.promoters, figures.passives, figures.detractors] == [responses, promoters, passives, detractors],
            "\(figures)", sourceLocation: sourceLocation)
        #expect(abs(figures.nps - nps) < 1e-9, "nps \(figures.nps), expected \(nps)", sourceLocation: sourceLocation)
    }

    static func report(
        _ world: InteractionHarness, from: Date, before: Date, groupBy: Rapport_V1_NpsDimension = .unspecified
    ) async throws -> Rapport_V1_NpsReport {
        try await world.interactions.getNpsReport(.with {
            $0.occurredFrom = InteractionFixtures.timestamp(from)
            $0.occurredBefore = InteractionFixtures.timestamp(before)
            $0.groupBy = groupBy
        })
    }

    @Test func fivePromotersThreePassivesTwoDetractorsIsThirtyOverallAndByChannel() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let bob = try await world.customer(name: "Bob Marley")
            let scores: [(Int32, Rapport_V1_Channel)] = [
                (10, .branch), (9, .branch), (7, .branch), (0, .branch),
                (10, .email), (9, .email), (9, .email), (8, .email), (7, .email), (6, .email),
            ]
            let surveys = scores.enumerated().map { index, score in
                InteractionFixtures.survey(index.isMultiple(of: 2) ? ada.id : bob.id, score: score.0, channel: score.1,
                                           at: world.clock.offset(hours: -Double(7 * index + 1)))
            }
            // Neither other kinds nor responses outside the range count.
            let noise = [
                InteractionFixtures.interaction(ada.id, .inquiry, at: world.clock.offset(hours: -3)),
                InteractionFixtures.survey(ada.id, score: 0, channel: .branch, at: world.clock.offset(days: -30)),
            ]
            _ = try await world.logBatch(surveys + noise)
            let from = world.clock.offset(days: -7)
            let overall = try await Self.report(world, from: from, before: world.clock.now)
            Self.expect(overall.overall, responses: 10, promoters: 5, passives: 3, detractors: 2, nps: 30)
            #expect(overall.groups.isEmpty)
            let byChannel = try await Self.report(world, from: from, before: world.clock.now, groupBy: .channel)
            Self.expect(byChannel.overall, responses: 10, promoters: 5, passives: 3, detractors: 2, nps: 30)
            #expect(byChannel.groups.map(\.key) == ["CHANNEL_BRANCH", "CHANNEL_EMAIL"])
            Self.expect(byChannel.groups[0].figures, responses: 4, promoters: 2, passives: 1, detractors: 1, nps: 25)
            Self.expect(byChannel.groups[1].figures, responses: 6, promoters: 3, passives: 2, detractors: 1, nps: 100.0 * 2 / 6)
        }
    }

    @Test func partialDaysAtTheEdgesCountExactlyTheResponsesInside() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let day = world.clock.startOfDay(-5)
            let at = { (hours: Double) in day.addingTimeInterval(hours * 3_600) }
            _ = try await world.logBatch([
                InteractionFixtures.survey(ada.id, score: 10, at: at(11.5)),
                InteractionFixtures.survey(ada.id, score: 0, at: at(12)),
                InteractionFixtures.survey(ada.id, score: 9, at: at(24)),
                InteractionFixtures.survey(ada.id, score: 10, at: at(72).addingTimeInterval(-0.001)),
                InteractionFixtures.survey(ada.id, score: 7, at: at(84).addingTimeInterval(-0.001)),
                InteractionFixtures.survey(ada.id, score: 0, at: at(84)),
            ])
            // From noon on day 0 to noon on day 3: two partial days around two whole ones.
            let edges = try await Self.report(world, from: at(12), before: at(84))
            Self.expect(edges.overall, responses: 4, promoters: 2, passives: 1, detractors: 1, nps: 25)
            let wholeDays = try await Self.report(world, from: at(24), before: at(72))
            Self.expect(wholeDays.overall, responses: 2, promoters: 2, passives: 0, detractors: 0, nps: 100)
            let everything = try await Self.report(world, from: day, before: at(96))
            Self.expect(everything.overall, responses: 6, promoters: 3, passives: 1, detractors: 2, nps: 100.0 / 6)
            let oneMillisecond = try await Self.report(world, from: at(12), before: at(12).addingTimeInterval(0.001))
            Self.expect(oneMillisecond.overall, responses: 1, promoters: 0, passives: 0, detractors: 1, nps: -100)
            let none = try await Self.report(world, from: at(-48), before: at(-24), groupBy: .channel)
            Self.expect(none.overall, responses: 0, promoters: 0, passives: 0, detractors: 0, nps: 0)
            #expect(none.groups.isEmpty)
        }
    }

    @Test func segmentsAndBranchAreTheCustomersAtResponseTime() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer(branch: "0001")
            let bob = try await world.customer(name: "Bob Marley", branch: "")
            _ = try await world.log(InteractionFixtures.survey(ada.id, score: 10, at: world.clock.offset(hours: -5)))
            _ = try await world.log(InteractionFixtures.survey(bob.id, score: 8, at: world.clock.offset(hours: -4)))
            _ = try await world.client.customers.updateCustomer(.with {
                $0.id = ada.id
                $0.profile = .with {
                    $0.branchID = "0002"
                    $0.assetsUnderManagement = .with { $0.minorUnits = 250_000_000; $0.currencyCode = "GBP" }
                }
                $0.updateMask = .init(protoPaths: ["branch_id", "assets_under_management"])
            })
            _ = try await world.log(InteractionFixtures.survey(ada.id, score: 2, at: world.clock.offset(hours: -3)))
            let from = world.clock.offset(days: -1)
            let byBranch = try await Self.report(world, from: from, before: world.clock.now, groupBy: .branch)
            Self.expect(byBranch.overall, responses: 3, promoters: 1, passives: 1, detractors: 1, nps: 0)
            #expect(byBranch.groups.map(\.key) == ["", "0001", "0002"])
            Self.expect(byBranch.groups[0].figures, responses: 1, promoters: 0, passives: 1, detractors: 0, nps: 0)
            Self.expect(byBranch.groups[1].figures, responses: 1, promoters: 1, passives: 0, detractors: 0, nps: 100)
            Self.expect(byBranch.groups[2].figures, responses: 1, promoters: 0, passives: 0, detractors: 1, nps: -100)
            let byTier = try await Self.report(world, from: from, before: world.clock.now, groupBy: .valueTier)
            let privateTier = byTier.groups.first { $0.key == "VALUE_TIER_PRIVATE" }
            Self.expect(try #require(privateTier).figures, responses: 1, promoters: 0, passives: 0, detractors: 1, nps: -100)
            #expect(byTier.groups.map(\.figures.responses).reduce(0, +) == 3)
            #expect(byTier.groups.map(\.key) == byTier.groups.map(\.key).sorted())
            let byStage = try await Self.report(world, from: from, before: world.clock.now, groupBy: .lifecycleStage)
            #expect(byStage.groups.allSatisfy { $0.key.hasPrefix("LIFECYCLE_STAGE_") }, "\(byStage.groups.map(\.key))")
            #expect(byStage.groups.map(\.figures.responses).reduce(0, +) == 3)
        }
    }

    @Test func theRangeIsRequiredOrderedAndAtMostFiveYears() async throws {
        try await InteractionHarness.run { world in
            let now = world.clock.now
            let nps = world.interactions
            let noFrom = await rpcError { _ = try await nps.getNpsReport(.with { $0.occurredBefore = InteractionFixtures.timestamp(now) }) }
            #expect(noFrom?.code == .invalidArgument)
            #expect(noFrom?.message.hasPrefix("occurred_from") == true, "\(String(describing: noFrom))")
            let noBefore = await rpcError { _ = try await nps.getNpsReport(.with { $0.occurredFrom = InteractionFixtures.timestamp(now) }) }
            #expect(noBefore?.code == .invalidArgument)
            #expect(noBefore?.message.hasPrefix("occurred_before") == true, "\(String(describing: noBefore))")
            for (from, before) in [(now, now), (now, now.addingTimeInterval(-1)), (now.addingTimeInterval(-1828 * 86_400), now)] {
                let error = await rpcError { _ = try await Self.report(world, from: from, before: before) }
                #expect(error?.code == .invalidArgument, "\(from) – \(before)")
            }
            let fiveYears = try await Self.report(world, from: now.addingTimeInterval(-1827 * 86_400), before: now)
            #expect(fiveYears.overall.responses == 0)
            let dimension = await rpcError {
                _ = try await Self.report(world, from: now.addingTimeInterval(-86_400), before: now, groupBy: .UNRECOGNIZED(9))
            }
            expectInvalidArgument(dimension, naming: "group_by")
        }
    }
}
