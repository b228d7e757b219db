import Foundation
import RapportDomain

/// What shapes one customer's contacts: age, value tier, relationship manager, preferred channel,
/// products held, and the channels their consent allows marketing on.
struct ContactProfile: Sendable {
    let age: Int
    let tier: ValueTier
    let pattern: HistoryPlan.Pattern
    let preferredChannel: Channel?
    let branchID: String
    /// The customer's relationship manager; nil for customers without one.
    let relationshipManagerID: String?
    /// Codes of the products held today.
    let heldProducts: [String]
    /// Every product taken, with how many days before today it was opened.
    let acquisitions: [(code: String, daysAgo: Int)]
    /// The account opened on joining (the earliest product taken): current, student or Premier.
    var openingAccount: String {
        acquisitions.max { $0.daysAgo < $1.daysAgo }?.code ?? "CURRENT_ACCOUNT"
    }
    /// Channels marketing may use, per the customer's consent (`MarketingConsent`).
    let marketingChannels: Set<Channel>
    /// What the catalog's eligibility rules look at, so offers go only to customers allowed the product.
    let eligibility: EligibilitySubject
    /// The day the profile describes; offers are judged eligible as of it.
    let today: CalendarDate

    init(
        profile: CustomerProfile, tier: ValueTier, pattern: HistoryPlan.Pattern, consents: [ConsentDecision],
        today: CalendarDate
    ) {
        age = profile.dateOfBirth.map { today.fullYears(since: $0) } ?? 40
        self.tier = tier
        self.pattern = pattern
        preferredChannel = profile.preferredChannel
        branchID = profile.branchID.isEmpty ? "0001" : profile.branchID
        relationshipManagerID = profile.relationshipManagerID.isEmpty ? nil : profile.relationshipManagerID
        heldProducts = profile.products.filter { $0.closedOn.map { $0 > today } ?? true }.map(\.productCode)
        acquisitions = profile.products.compactMap { holding in holding.openedOn.map { (holding.productCode, today.days(since: $0)) } }
        eligibility = EligibilitySubject(
            dateOfBirth: profile.dateOfBirth, annualIncome: profile.annualIncome, assets: profile.assetsUnderManagement,
            valueTier: tier, kycStatus: profile.kycStatus, riskLevel: profile.riskLevel)
        self.today = today
        marketingChannels = Set(Channel.allCases.filter {
            MarketingConsent.verdict(forMarketingOn: $0, consents: consents).isAllowed
        })
    }
}
