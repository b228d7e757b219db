import Foundation
import RapportDomain

/// Realistic synthetic interaction histories, and the consent decisions their marketing rests on,
/// deterministic per seed, customer index and clock.
///
/// Over the log's last three years (or since the customer joined): the mobile app and online
/// banking most, then phone and call centre, branch, email, SMS, chat, ATM and a little social
/// media, relationship-manager visits for customers who have a manager; transactions, inquiries
/// and service requests mostly, NPS surveys (about 45% promoters, 30% passives, 25% detractors,
/// varying by tier), offers and their answers, marketing only where consent allows, complaints
/// by category and severity, follow-ups of most complaints and detractor responses (within the
/// SLA mostly, some late, some still open); busier in December and January, quieter in August;
/// about 8% of established customers declining (a busy spell 90–180 days ago, little since),
/// customers of the last 180 days starting with their account opening. Nothing after `now`.
public struct SyntheticInteractions: Sendable {
    public let seed: UInt64
    /// The average number of interactions per customer; 0 for none.
    public let averagePerCustomer: Int
    /// The follow-up SLA that "on time" and "late" follow-ups are timed against.
    public let followUpSLA: TimeInterval
    let calendar: ContactCalendar

    /// The stream of each purpose, so that plans can be drawn without drawing histories.
    private enum Salt {
        static let plan: UInt64 = 1
        static let history: UInt64 = 2
    }

    public init(seed: UInt64, averagePerCustomer: Int, now: Date, followUpSLA: TimeInterval = InteractionPolicy.defaults.followUpSLA) {
        self.seed = seed
        self.averagePerCustomer = max(0, averagePerCustomer)
        self.followUpSLA = followUpSLA
        calendar = ContactCalendar(now: now)
    }

    /// The clock histories end at.
    public var now: Date { calendar.now }

    /// How many interactions customer `index` gets and the shape of its history.
    public func plan(_ index: Int, profile: CustomerProfile, joinedDaysAgo: Int) -> HistoryPlan {
        var random = SeededRandom(seed: seed, index: index, salt: Salt.plan)
        return HistoryPlan.make(
            average: averagePerCustomer, joinedDaysAgo: joinedDaysAgo, managed: !profile.relationshipManagerID.isEmpty,
            random: &random)
    }

    /// Customer `index`'s consent decisions and interactions (as many as `plan` says).
    /// - Parameter valueTier: the customer's value tier, which shifts their NPS scores.
    public func history(_ index: Int, profile: CustomerProfile, valueTier: ValueTier, joinedDaysAgo: Int) -> SyntheticHistory {
        let plan = plan(index, profile: profile, joinedDaysAgo: joinedDaysAgo)
        var random = SeededRandom(seed: seed, index: index, salt: Salt.history)
        let startDay = calendar.index(daysAgo: joinedDaysAgo)
        let consents = SyntheticConsent.decisions(
            start: calendar.start(ofDay: startDay), now: now, branchID: profile.branchID, random: &random)
        let customer = ContactProfile(
            profile: profile, tier: valueTier, pattern: plan.pattern, consents: consents, today: CalendarDate(utcDayOf: now))
        var builder = HistoryBuilder(
            calendar: calendar, customer: customer, plan: plan, startDay: startDay, followUpSLA: followUpSLA, random: random)
        return SyntheticHistory(plan: plan, consents: consents, interactions: plan.count > 0 ? builder.build() : [])
    }
}
