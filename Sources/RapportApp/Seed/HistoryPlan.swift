import Foundation
import RapportDomain

/// How many interactions one synthetic customer gets and the shape of their history. Cheap to
/// compute, so the seeder can add up the total before writing anything.
public struct HistoryPlan: Sendable, Hashable {
    /// The shape of a customer's activity over time.
    public enum Pattern: Sendable, Hashable {
        /// Contacts at a steady rhythm over the whole history (with the seasons).
        case steady
        /// A busy spell 90–180 days ago, then activity falls sharply: the lifecycle sees decline.
        case declining
        /// Joined within the last 180 days: the first contact is the account opening, then onboarding.
        case new
    }

    public var count: Int
    public var pattern: Pattern

    /// Customers who joined this recently are new (the default acquisition window).
    static let newCustomerDays = 180
    /// The share of established customers whose activity is falling away.
    static let decliningShare = 0.08
    /// The fewest contacts a declining customer gets: enough for the busy spell to count.
    static let decliningMinimum = 10
    /// Customers with a relationship manager (the affluent and private) are in touch more often.
    static let managedFactor = 1.6
    /// Divides the raw count so that the average over a seeded book comes out near the requested one
    /// (measured: managed customers and the shorter histories of recent joiners roughly cancel out).
    static let normalizer = 0.96

    /// The plan of customer `index`; `random` is that customer's own plan stream.
    static func make(
        average: Int, joinedDaysAgo: Int, managed: Bool, random: inout SeededRandom
    ) -> HistoryPlan {
        // A log-normal with median 0.81 and spread 0.65 has mean 1: most customers near the
        // average, a tail of very active ones.
        let level = random.logNormal(median: 0.81, spread: 0.65)
        let span = Double(min(joinedDaysAgo, ContactCalendar.historyDays) + 1) / Double(ContactCalendar.historyDays + 1)
        let raw = Double(average) * level * (managed ? managedFactor : 1) * span / normalizer
        var count = Int((raw + random.unit()).rounded(.down))
        let pattern: Pattern
        if joinedDaysAgo < newCustomerDays {
            pattern = .new
            count = max(count, 2)
        } else if joinedDaysAgo >= 365 && random.chance(decliningShare) {
            pattern = .declining
            count = max(count, decliningMinimum)
        } else {
            pattern = .steady
        }
        return HistoryPlan(count: average > 0 ? count : 0, pattern: pattern)
    }
}
