import Foundation
import RapportDomain
import Testing

@Suite("Recommendations: hard rules, ranking and reasons")
struct RecommenderTests {
    private let recommender = Recommender()

    private func recommend(
        _ customer: Customer = recommendationCustomer(), consents given: [ConsentDecision] = consents(),
        history: [Interaction] = [], open: [FollowUpItem] = [], channel: Channel = .branch, max: Int = 10,
        category: ProductCategory? = nil, asOf: CalendarDate = today, catalog: [Product] = recommendationCatalog,
        recommender: Recommender? = nil
    ) -> RecommendationList {
        let evidence = RecommendationContext(customer: customer, consents: given, history: history, openFollowUps: open)
        let query = RecommendationQuery(channel: channel, maxResults: max, category: category, asOf: asOf)
        return (recommender ?? self.recommender).recommend(
            query, evidence: evidence, catalog: catalog, statistics: recommendationStatistics())
    }

    private func codes(_ list: RecommendationList) -> [String] {
        list.items.map { $0.productCode ?? "action:\($0.kind.rawValue)" }
    }

    @Test("Held, ineligible and recently declined products are never offered")
    func hardProductRules() {
        let declined = contact(.offerDeclined, on: today.adding(days: -29), product: "SAVINGS")
        let list = recommend(history: [declined])
        #expect(!codes(list).contains("CURRENT_ACCOUNT"))  // held
        #expect(!codes(list).contains("PLATINUM_CARD"))    // affluent, not private banking
        #expect(!codes(list).contains("SAVINGS"))          // declined 29 days ago, cooldown 30
        #expect(Set(codes(list)) == ["CREDIT_CARD", "MORTGAGE", "HOME_INSURANCE"])
        let cooled = contact(.offerDeclined, on: today.adding(days: -30), product: "SAVINGS")
        #expect(codes(recommend(history: [cooled])).contains("SAVINGS"))
    }

    @Test("A retired product is not offered")
    func retired() {
        var catalog = recommendationCatalog
        catalog[3].active = false
        #expect(!codes(recommend(catalog: catalog)).contains("SAVINGS"))
    }

    @Test("Co-holding ranks what holders of the customer's products hold, and says so")
    func coholding() throws {
        let list = recommend()
        let first = try #require(list.items.first)
        #expect(first.productCode == "SAVINGS")
        #expect(first.kind == .crossSell)
        #expect(first.reasons.first == RecommendationReason(.coholding, "held by 53% of customers who hold Current account"))
        #expect(list.personalised)
        #expect(list.notices.isEmpty)
    }

    @Test("A recent inquiry about a product lifts it, with the day and channel as evidence")
    func intent() throws {
        let asked = contact(.inquiry, on: day(2024, 6, 2), product: "MORTGAGE", channel: .mobileApp)
        let first = try #require(recommend(history: [asked]).items.first)
        #expect(first.productCode == "MORTGAGE")
        #expect(first.reasons.contains(RecommendationReason(.recentInterest, "asked about Fixed-rate mortgage in the mobile app on 2 Jun 2024")))
        let old = contact(.inquiry, on: today.adding(days: -60), product: "MORTGAGE")
        #expect(recommend(history: [old]).items.first?.productCode == "SAVINGS")
    }

    @Test("What follows a held product comes next: home insurance after a mortgage")
    func nextStep() throws {
        let list = recommend(recommendationCustomer(products: ["CURRENT_ACCOUNT", "MORTGAGE"]))
        let first = try #require(list.items.first)
        #expect(first.productCode == "HOME_INSURANCE")
        #expect(first.reasons.map(\.code).contains(.nextStep))
        #expect(first.reasons.contains(RecommendationReason(.nextStep, "taken next by 65% of customers who hold Fixed-rate mortgage")))
    }

    @Test("A card holder is up-sold another card; other categories are cross-sold")
    func kinds() {
        let list = recommend(recommendationCustomer(products: ["CURRENT_ACCOUNT", "CREDIT_CARD"]), catalog: recommendationCatalog + [
            Product(code: "TRAVEL_CARD", name: "Travel card", category: .card)
        ])
        #expect(list.items.first { $0.productCode == "TRAVEL_CARD" }?.kind == .upSell)
        #expect(list.items.first { $0.productCode == "SAVINGS" }?.kind == .crossSell)
    }

    @Test("An open complaint gets a follow-up action and no sales offers")
    func openComplaint() throws {
        let complaint = contact(.complaint, on: day(2024, 6, 14), id: "int_c")
        let open = FollowUpItem(interaction: complaint, reason: .complaint, dueAt: complaint.occurredAt.addingTimeInterval(86_400))
        let list = recommend(history: [complaint], open: [open])
        #expect(list.items.count == 1)
        let item = try #require(list.items.first)
        #expect(item.kind == .service)
        #expect(item.target == .action(.complaintFollowUp, followUp: open))
        #expect(list.notices.map(\.code) == [.openComplaint])
        #expect(item.reasons[0].sentence == "complaint about fees and charges raised on 14 Jun 2024 is open, follow-up due 15 Jun 2024")
    }

    @Test("As of a past day, a complaint answered only later was open then; one answered by then was not")
    func complaintAsOf() {
        let complaint = contact(.complaint, on: day(2024, 6, 10), id: "int_c")
        #expect(recommend(history: [complaint], asOf: day(2024, 6, 11)).items.map(\.kind) == [.service])
        let answered = contact(.followUp, on: day(2024, 6, 11), id: "int_f", followUpOf: "int_c")
        #expect(recommend(history: [answered, complaint], asOf: day(2024, 6, 11)).items.first?.kind == .crossSell)
    }

    @Test("No marketing consent for the channel: no products, and the notice says which consent is missing")
    func marketingConsent() {
        let list = recommend(channel: .sms)  // the customer consented by email only
        #expect(list.items.isEmpty)
        #expect(list.notices.map(\.code) == [.noMarketingConsent])
        #expect(list.notices[0].sentence.contains("marketing by SMS"))
        #expect(recommend(consents: consents(marketing: false)).items.isEmpty)
        #expect(!recommend(channel: .email).items.isEmpty)
    }

    @Test("A customer who refused profiling gets non-personalised offers, ranked by popularity")
    func profilingRefused() throws {
        let list = recommend(consents: consents(profiling: false))
        #expect(!list.personalised)
        #expect(list.notices.map(\.code) == [.notPersonalised])
        #expect(codes(list).first == "SAVINGS")  // 50% of customers: the most held eligible product
        let reasons = Set(list.items.flatMap(\.reasons).map(\.code))
        #expect(reasons.isSubset(of: [.popular, .oftenAccepted, .businessPriority]))
        let asked = contact(.inquiry, on: today.adding(days: -1), product: "MORTGAGE")
        #expect(recommend(consents: consents(profiling: false), history: [asked]).items.first?.productCode == "SAVINGS")
    }

    @Test("No profiling decision: personalised on legitimate interest, unless the policy needs an opt-in")
    func profilingSilence() {
        #expect(recommend(consents: consents(profiling: nil)).personalised)
        let strict = Recommender(policy: RecommendationPolicy(profilingRequiresOptIn: true))
        #expect(!recommend(consents: consents(profiling: nil), recommender: strict).personalised)
        #expect(recommend(consents: consents(profiling: true), recommender: strict).personalised)
    }

    @Test("The decline stage puts a retention review first, with the lifecycle evidence")
    func decline() throws {
        let list = recommend(recommendationCustomer(stage: .decline))
        let first = try #require(list.items.first)
        #expect(first.kind == .retention)
        #expect(first.reasons == [RecommendationReason(.decliningActivity, "activity fell 60% over 90 days")])
        #expect(list.items.dropFirst().allSatisfy { $0.productCode != nil })
        #expect(first.score > list.items[1].score)
    }

    @Test("In the decline stage with a complaint open, only the complaint's follow-up; the retention review once it is answered")
    func declineWithOpenComplaint() throws {
        let customer = recommendationCustomer(stage: .decline)
        let complaint = contact(.complaint, on: today.adding(days: -1), id: "int_c")
        let open = FollowUpItem(interaction: complaint, reason: .complaint, dueAt: complaint.occurredAt.addingTimeInterval(86_400))
        let list = recommend(customer, history: [complaint], open: [open])
        #expect(list.items.map(\.kind) == [.service])
        #expect(list.items.first?.target == .action(.complaintFollowUp, followUp: open))

        let answered = contact(.followUp, on: today, id: "int_f", followUpOf: "int_c")
        let after = recommend(customer, history: [answered, complaint])
        #expect(after.items.first?.kind == .retention)
    }

    @Test("The retention review's title names the cause the segmentation gave", arguments: [
        // (products closed, contacts now / before, complaints) → words in the title
        (true, 10, 10, 0, "every product is closed"),
        (false, 2, 10, 0, "activity is falling"),
        (false, 10, 10, 1, "a product was closed after a complaint"),
    ])
    func retentionTitle(allClosed: Bool, contactsNow: Int, contactsBefore: Int, complaints: Int, words: String) throws {
        var customer = recommendationCustomer(products: ["CURRENT_ACCOUNT", "SAVINGS"])
        customer.profile.products[0].closedOn = today.adding(days: -10)
        if allClosed { customer.profile.products[1].closedOn = today.adding(days: -5) }
        let activity = ActivitySummary(
            contactsLast90Days: contactsNow, contactsPrevious90Days: contactsBefore, complaintsLast90Days: complaints)
        customer.segmentation = Segmenter(policy: .defaults)
            .segment(customer.profile, customerSince: customer.createdAt, activity: activity, today: today)
        #expect(customer.segmentation.lifecycleStage == .decline)
        let item = try #require(recommend(customer).items.first)
        #expect(item.kind == .retention)
        #expect(item.title == "Review the relationship: \(words)")
    }

    @Test("Every decline reason the classifier writes names its cause")
    func declineCauses() {
        #expect(DeclineCause(reason: "the only product is closed, the last on 2024-01-02") == .productsClosed)
        #expect(DeclineCause(reason: "all 3 products are closed") == .productsClosed)
        #expect(DeclineCause(reason: "something else") == nil)
        #expect(RecommendedAction.retentionReview.title(reasons: [RecommendationReason(.decliningActivity, "legacy words")])
            == "Review the relationship: the customer is in decline")
    }

    @Test("max_results and the category filter bound the answer")
    func limits() {
        #expect(recommend(max: 2).items.count == 2)
        #expect(codes(recommend(category: .mortgage)) == ["MORTGAGE"])
    }

    @Test("As of a past day, holdings opened later do not count as held, and age is on that day")
    func asOfHoldings() {
        var customer = recommendationCustomer(products: ["CURRENT_ACCOUNT", "SAVINGS"])
        customer.profile.products[1].openedOn = day(2024, 6, 1)
        #expect(codes(recommend(customer, asOf: day(2024, 5, 31))).contains("SAVINGS"))
        #expect(!codes(recommend(customer, asOf: day(2024, 6, 1))).contains("SAVINGS"))
        customer.profile.dateOfBirth = day(2003, 6, 1)  // 21 on 1 Jun 2024
        #expect(!codes(recommend(customer, asOf: day(2024, 5, 31))).contains("MORTGAGE"))
        #expect(codes(recommend(customer, asOf: day(2024, 6, 1))).contains("MORTGAGE"))
    }

    @Test("Every item has a reason and scores fall down the list")
    func ordering() {
        let list = recommend()
        #expect(list.items.allSatisfy { !$0.reasons.isEmpty })
        #expect(zip(list.items, list.items.dropFirst()).allSatisfy { $0.score >= $1.score })
    }
}
