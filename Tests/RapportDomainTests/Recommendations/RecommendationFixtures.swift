import Foundation
import RapportDomain

/// A small catalog: a current account, two cards, savings, a mortgage and home insurance.
let recommendationCatalog: [Product] = [
    Product(code: "CURRENT_ACCOUNT", name: "Current account", category: .currentAccount),
    Product(code: "CREDIT_CARD", name: "Credit card", category: .card, eligibility: EligibilityRules(minAge: 18)),
    Product(
        code: "PLATINUM_CARD", name: "Platinum card", category: .card,
        eligibility: EligibilityRules(allowedValueTiers: [.privateBanking])),
    Product(code: "SAVINGS", name: "Easy saver", category: .deposit, declineCooldownDays: 30),
    Product(code: "MORTGAGE", name: "Fixed-rate mortgage", category: .mortgage, eligibility: EligibilityRules(minAge: 21)),
    Product(code: "HOME_INSURANCE", name: "Home insurance", category: .insurance, businessWeight: 5),
]

/// Statistics of 1,000 customers: most hold a current account; savings go with it, home
/// insurance goes with mortgages; mortgages are often taken after savings.
func recommendationStatistics() -> RecommendationStatistics {
    var coholding = CoholdingStatistics()
    coholding.holders = ["CURRENT_ACCOUNT": 900, "CREDIT_CARD": 400, "SAVINGS": 500, "MORTGAGE": 200, "HOME_INSURANCE": 150]
    coholding.pairs = [
        .unordered("CURRENT_ACCOUNT", "SAVINGS"): 480, .unordered("CURRENT_ACCOUNT", "CREDIT_CARD"): 380,
        .unordered("CURRENT_ACCOUNT", "MORTGAGE"): 190, .unordered("MORTGAGE", "HOME_INSURANCE"): 140,
        .unordered("SAVINGS", "MORTGAGE"): 150, .unordered("CURRENT_ACCOUNT", "HOME_INSURANCE"): 145,
        .unordered("CREDIT_CARD", "SAVINGS"): 200,
    ]
    coholding.sequences = [ProductPair("SAVINGS", "MORTGAGE"): 120, ProductPair("MORTGAGE", "HOME_INSURANCE"): 130]
    let cell = SegmentCell(valueTier: .affluent, birthCohort: 1985)
    let segments = SegmentStatistics(customers: [cell: 100], holders: [cell: ["CREDIT_CARD": 60, "SAVINGS": 50]])
    return RecommendationStatistics(coholding: coholding, segments: segments, customers: 1000)
}

/// An affluent customer born 1985 in the growth stage, holding a current account.
func recommendationCustomer(products: [String] = ["CURRENT_ACCOUNT"], stage: LifecycleStage = .growth) -> Customer {
    var profile = CustomerProfile()
    profile.fullName = "Ada Lovelace"
    profile.dateOfBirth = day(1985, 12, 10)
    profile.products = products.map { ProductHolding(productCode: $0, openedOn: day(2020, 1, 1)) }
    let segmentation = Segmentation(
        valueTier: .affluent, valueTierReasons: [], lifecycleStage: stage,
        lifecycleReasons: stage == .decline ? ["activity fell 60% over 90 days"] : [])
    return Customer(
        id: "cus_1", externalRef: nil, profile: profile, segmentation: segmentation, createdAt: instant(day(2020, 1, 1)),
        updatedAt: instant(day(2020, 1, 1)), etag: "e1")
}

/// Consent to marketing by email and to profiling, unless told otherwise.
func consents(marketing: Bool = true, profiling: Bool? = true) -> [ConsentDecision] {
    func decision(_ purpose: ConsentPurpose, _ granted: Bool) -> ConsentDecision {
        ConsentDecision(
            channel: .email, purpose: purpose, granted: granted, decidedAt: instant(day(2020, 1, 1)), source: .channel,
            sourceDetail: "web", recordedBy: "self-service")
    }
    return [decision(.marketing, marketing)] + (profiling.map { [decision(.profiling, $0)] } ?? [])
}

/// An interaction of `kind` on `date` at noon.
func contact(
    _ kind: InteractionKind, on date: CalendarDate, product: String = "", id: String = UUID().uuidString,
    channel: Channel = .branch, followUpOf: String? = nil
) -> Interaction {
    Interaction(
        id: id, customerID: "cus_1", channel: channel, kind: kind, occurredAt: instant(date).addingTimeInterval(43_200),
        recordedAt: instant(date).addingTimeInterval(43_200), productCode: product,
        complaint: kind == .complaint ? ComplaintDetails(category: .feesAndCharges, severity: .medium) : nil,
        followUpOf: followUpOf)
}
