import Foundation
import RapportDomain
import Testing

@Suite("Segmentation: lifecycle stages")
struct LifecycleTests {
    let segmenter = Segmenter(policy: .defaults)

    /// A product opened `daysAgo` days before today, closed `closedDaysAgo` days before today if given.
    private func product(_ code: String = "SAVER", opened daysAgo: Int, closed closedDaysAgo: Int? = nil) -> ProductHolding {
        ProductHolding(productCode: code, openedOn: today.adding(days: -daysAgo), closedOn: closedDaysAgo.map { today.adding(days: -$0) })
    }

    private func lifecycle(
        _ products: [ProductHolding], since: CalendarDate = day(2010, 1, 1), activity: ActivitySummary? = nil
    ) -> (LifecycleStage, [String]) {
        var profile = CustomerProfile()
        profile.products = products
        let result = segmenter.segment(profile, customerSince: instant(since), activity: activity, today: today)
        return (result.lifecycleStage, result.lifecycleReasons)
    }

    private let established = (0..<3).map { _ in ProductHolding(productCode: "SAVER", openedOn: day(2015, 1, 1)) }

    // MARK: acquisition

    @Test("Tenure under 180 days is acquisition; 180 is not", arguments: [(0, true), (45, true), (179, true), (180, false), (400, false)])
    func acquisitionBoundary(_ days: Int, _ acquiring: Bool) {
        let (stage, _) = lifecycle([product(opened: days)])
        #expect((stage == .acquisition) == acquiring)
    }

    @Test("Acquisition reasons give the tenure and where it was counted from")
    func acquisitionReason() {
        let (stage, reasons) = lifecycle([product(opened: 45), product(opened: 10)])
        #expect(stage == .acquisition)
        #expect(reasons == ["tenure 45 days < 180, since the first product opened on 2024-05-01"])
    }

    @Test("Tenure counts from the earliest product, including closed ones")
    func tenureFromEarliestProduct() {
        let (stage, _) = lifecycle([product(opened: 30), product("OLD", opened: 3000, closed: 1000)], since: today)
        #expect(stage == .growth)
    }

    @Test("Without products tenure counts from the customer record")
    func tenureFromRecord() {
        let (new, reasons) = lifecycle([], since: today.adding(days: -1))
        #expect(new == .acquisition)
        #expect(reasons == ["tenure 1 day < 180, since the customer record was created on 2024-06-14"])
        let (older, _) = lifecycle([], since: day(2019, 1, 1))
        #expect(older == .growth)
    }

    // MARK: tenure from the interaction log

    /// Steady activity whose first contact was `daysAgo` days before today.
    private func firstContact(_ daysAgo: Int) -> ActivitySummary {
        ActivitySummary(
            contactsLast90Days: 2, contactsPrevious90Days: 2, complaintsLast90Days: 0,
            firstContact: today.adding(days: -daysAgo), lastContact: today)
    }

    @Test("A first interactions period marks acquisition", arguments: [(0, true), (30, true), (179, true), (180, false)])
    func acquisitionFromFirstContact(_ daysAgo: Int, _ acquiring: Bool) {
        let (stage, _) = lifecycle([], since: today, activity: firstContact(daysAgo))
        #expect((stage == .acquisition) == acquiring)
    }

    @Test("The acquisition reason names the first contact")
    func firstContactReason() {
        let (stage, reasons) = lifecycle([product(opened: 10)], since: today, activity: firstContact(30))
        #expect(stage == .acquisition)
        #expect(reasons == ["tenure 30 days < 180, since the first contact on 2024-05-16"])
    }

    @Test("Imported history years old makes an established customer")
    func importedHistory() {
        let products = (0..<3).map { _ in product(opened: 100) }
        let activity = firstContact(today.days(since: day(2019, 1, 1)))
        let (stage, reasons) = lifecycle(products, since: today, activity: activity)
        #expect(stage == .maturity)
        #expect(reasons == ["tenure 5 years (1992 days) ≥ 2 years, since the first contact on 2019-01-01", "3 active products ≥ 3"])
        #expect(lifecycle([], since: today, activity: activity).0 == .growth)
    }

    @Test("A recent first contact does not shorten a tenure that products or the record give")
    func earliestWins() {
        let (mature, matureReasons) = lifecycle(established, activity: firstContact(10))
        #expect(mature == .maturity)
        #expect(matureReasons.first?.hasSuffix("since the first product opened on 2015-01-01") == true)
        let (older, olderReasons) = lifecycle([], since: today.adding(days: -100), activity: firstContact(10))
        #expect(older == .acquisition)
        #expect(olderReasons == ["tenure 100 days < 180, since the customer record was created on 2024-03-07"])
        #expect(lifecycle([], since: day(2019, 1, 1), activity: firstContact(10)).0 == .growth)
    }

    @Test("On the same day, the product names the origin")
    func sameDay() {
        let (_, reasons) = lifecycle([product(opened: 30)], activity: firstContact(30))
        #expect(reasons == ["tenure 30 days < 180, since the first product opened on 2024-05-16"])
    }

    @Test("With products the record never counts, but an earlier first contact does")
    func contactBeforeProducts() {
        #expect(lifecycle([product(opened: 30)], since: day(2010, 1, 1), activity: firstContact(60)).1
            == ["tenure 60 days < 180, since the first contact on 2024-04-16"])
    }

    // MARK: growth and maturity

    @Test("Under 2 years of tenure is growth, whatever the products")
    func growthByTenure() {
        let products = (0..<5).map { _ in product(opened: 400) }
        let (stage, reasons) = lifecycle(products)
        #expect(stage == .growth)
        #expect(reasons == ["tenure 1 year (400 days) < 2 years, since the first product opened on 2023-05-12"])
    }

    @Test("Fewer than 3 active products is growth, whatever the tenure")
    func growthByProducts() {
        let products = [product(opened: 4000), product(opened: 3000), product(opened: 2000, closed: 1000)]
        let (stage, reasons) = lifecycle(products)
        #expect(stage == .growth)
        #expect(reasons == ["2 active products < 3"])
    }

    @Test("Both growth reasons are given when both hold")
    func bothGrowthReasons() {
        let (stage, reasons) = lifecycle([product(opened: 200)])
        #expect(stage == .growth)
        #expect(reasons.count == 2)
        #expect(reasons.last == "1 active product < 3")
    }

    @Test("Two full years and three active products is maturity; the day before the anniversary is growth")
    func maturityBoundary() {
        let anniversary = (0..<3).map { _ in ProductHolding(productCode: "SAVER", openedOn: day(2022, 6, 15)) }
        let (mature, reasons) = lifecycle(anniversary)
        #expect(mature == .maturity)
        #expect(reasons == ["tenure 2 years (731 days) ≥ 2 years, since the first product opened on 2022-06-15", "3 active products ≥ 3"])
        let dayBefore = (0..<3).map { _ in ProductHolding(productCode: "SAVER", openedOn: day(2022, 6, 16)) }
        #expect(lifecycle(dayBefore).0 == .growth)
    }

    // MARK: decline

    @Test("All products closed is decline, even for a new customer")
    func allClosed() {
        let (stage, reasons) = lifecycle([product(opened: 60, closed: 20), product(opened: 50, closed: 5)])
        #expect(stage == .decline)
        #expect(reasons == ["all 2 products are closed, the last on 2024-06-10"])
        let (single, singleReasons) = lifecycle([product(opened: 900, closed: 300)])
        #expect(single == .decline)
        #expect(singleReasons == ["the only product is closed, the last on 2023-08-20"])
    }

    @Test("Activity falling by at least half with at least 4 contacts before is decline", arguments: [
        (10, 5, true), (10, 6, false), (4, 2, true), (4, 3, false), (3, 0, false), (0, 0, false), (8, 20, false), (12, 0, true),
    ])
    func activityDrop(_ previous: Int, _ last: Int, _ declining: Bool) {
        let activity = ActivitySummary(contactsLast90Days: last, contactsPrevious90Days: previous, complaintsLast90Days: 0)
        #expect((lifecycle(established, activity: activity).0 == .decline) == declining)
    }

    @Test("The activity reason gives the counts and the drop")
    func activityReason() {
        let activity = ActivitySummary(contactsLast90Days: 4, contactsPrevious90Days: 10, complaintsLast90Days: 0)
        let (stage, reasons) = lifecycle(established, activity: activity)
        #expect(stage == .decline)
        #expect(reasons == ["contacts fell 60% from 10 to 4 in the last 90 days (≥ 50% with at least 4 before)"])
    }

    @Test("A product closed within 90 days with a complaint is decline", arguments: [
        (30, 1, true), (90, 1, true), (91, 1, false), (30, 0, false), (0, 3, true),
    ])
    func closedWithComplaint(_ closedDaysAgo: Int, _ complaints: Int, _ declining: Bool) {
        let products = established + [product("CARD", opened: 2000, closed: closedDaysAgo)]
        let activity = ActivitySummary(contactsLast90Days: 5, contactsPrevious90Days: 5, complaintsLast90Days: complaints)
        #expect((lifecycle(products, activity: activity).0 == .decline) == declining)
    }

    @Test("The closure reason names the product, the date and the complaints")
    func closedWithComplaintReason() {
        let products = established + [product("CREDIT_CARD_GOLD", opened: 2000, closed: 12)]
        let activity = ActivitySummary(contactsLast90Days: 5, contactsPrevious90Days: 5, complaintsLast90Days: 2)
        let (stage, reasons) = lifecycle(products, activity: activity)
        #expect(stage == .decline)
        #expect(reasons == ["product CREDIT_CARD_GOLD closed on 2024-06-03 (12 days ago, within 90) and 2 complaints in the last 90 days"])
    }

    @Test("A recent closure without activity data is not decline on its own")
    func unknownActivity() {
        let products = established + [product("CARD", opened: 2000, closed: 3)]
        #expect(lifecycle(products, activity: nil).0 == .maturity)
    }

    @Test("Every decline signal present is given")
    func allSignals() {
        let products = [product("CARD", opened: 2000, closed: 3)]
        let activity = ActivitySummary(contactsLast90Days: 0, contactsPrevious90Days: 9, complaintsLast90Days: 1)
        let (stage, reasons) = lifecycle(products, activity: activity)
        #expect(stage == .decline)
        #expect(reasons.count == 3)
    }

    @Test("Decline wins over acquisition, growth and maturity")
    func precedence() {
        let falling = ActivitySummary(contactsLast90Days: 1, contactsPrevious90Days: 10, complaintsLast90Days: 0)
        #expect(lifecycle([product(opened: 10)], activity: falling).0 == .decline)
        #expect(lifecycle([product(opened: 400)], activity: falling).0 == .decline)
        #expect(lifecycle(established, activity: falling).0 == .decline)
        #expect(lifecycle(established, activity: nil).0 == .maturity)
    }

    @Test("Lifecycle parameters come from the policy")
    func customPolicy() {
        var policy = SegmentationPolicy.defaults
        policy.acquisitionDays = 30
        policy.growthYears = 1
        policy.growthMaxActiveProducts = 1
        let segmenter = Segmenter(policy: policy)
        var profile = CustomerProfile()
        profile.products = [product(opened: 400)]
        let result = segmenter.segment(profile, customerSince: instant(today), activity: nil, today: today)
        #expect(result.lifecycleStage == .maturity)
    }
}
