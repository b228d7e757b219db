import RapportDomain
import Testing

@Suite("Interactions: what each kind means")
struct InteractionModelTests {
    @Test("Complaints and detractor responses open a follow-up; nothing else does")
    func followUpReason() {
        for kind in InteractionKind.allCases {
            #expect(validInteraction(kind).followUpReason == (kind == .complaint ? .complaint : nil))
        }
        var survey = validInteraction(.surveyResponse)
        for (score, reason) in [(0, FollowUpReason.detractor), (6, .detractor), (7, nil), (10, nil)] {
            survey.survey?.npsScore = score
            #expect(survey.followUpReason == reason)
        }
    }

    @Test("Only marketing contacts and offer presentations are marketing")
    func marketing() {
        let marketing = InteractionKind.allCases.filter { validInteraction($0).isMarketing }
        #expect(marketing == [.offerPresented, .marketingContact])
    }

    @Test("Notes, marketing contacts, offer presentations and ignored offers are not customer activity")
    func activity() {
        let notActivity = InteractionKind.allCases.filter { !validInteraction($0).countsAsActivity }
        #expect(notActivity == [.offerPresented, .marketingContact, .note, .offerIgnored])
    }
}
