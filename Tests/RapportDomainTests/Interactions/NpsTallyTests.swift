import RapportDomain
import Testing

@Suite("Interactions: NPS arithmetic")
struct NpsTallyTests {
    @Test("NPS is % promoters − % detractors, on hand-computed cases", arguments: [
        (5, 3, 2, 30.0),
        (0, 0, 0, 0.0),
        (0, 0, 7, -100.0),
        (4, 0, 0, 100.0),
        (0, 9, 0, 0.0),
        (1, 2, 0, 100.0 / 3.0),
        (1, 1, 1, 0.0),
        (3, 4, 1, 25.0),
        (1, 0, 7, -75.0),
    ])
    func nps(_ promoters: Int, _ passives: Int, _ detractors: Int, _ expected: Double) {
        let tally = NpsTally(promoters: promoters, passives: passives, detractors: detractors)
        #expect(tally.nps == expected)
        #expect(tally.responses == promoters + passives + detractors)
    }

    @Test("1 promoter and 2 passives is 33.33…")
    func repeatingDecimal() {
        let nps = NpsTally(promoters: 1, passives: 2).nps
        #expect(abs(nps - 33.333_333_333_333) < 1e-9)
    }

    @Test("Scores fall into categories at 6/7 and 8/9; outside 0–10 there is none")
    func categories() {
        let expected: [NpsCategory?] = [nil] + Array(repeating: .detractor, count: 7) + [.passive, .passive, .promoter, .promoter, nil]
        #expect((-1...11).map { NpsCategory(score: $0) } == expected)
        #expect(SurveyResponse(npsScore: 9, reason: "").category == .promoter)
        #expect(SurveyResponse(npsScore: 42, reason: "").category == nil)
    }

    @Test("Adding responses and tallies counts each category")
    func adding() {
        var tally = NpsTally()
        for score in [10, 9, 8, 7, 6, 0, 5, 9] {
            if let category = NpsCategory(score: score) { tally.add(category) }
        }
        tally.add(.promoter, count: 2)
        #expect(tally == NpsTally(promoters: 5, passives: 2, detractors: 3))
        #expect(tally.nps == 20.0)
        #expect(tally + NpsTally(passives: 1, detractors: 4) == NpsTally(promoters: 5, passives: 3, detractors: 7))
        #expect((tally + NpsTally()).nps == tally.nps)
    }
}
