import Foundation
import RapportApp
import RapportDomain

/// A synthetic book of customers with their histories, generated once per test as of a fixed clock.
struct SyntheticBook {
    /// 2026-11-23T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_795_435_200)
    static let today = CalendarDate(utcDayOf: now)

    /// One customer and its history.
    struct Member {
        var index: Int
        var profile: CustomerProfile
        var joinedDaysAgo: Int
        var tier: ValueTier
        var history: SyntheticHistory

        /// The start of the day the customer joined.
        var joined: Date {
            let todayStart = (SyntheticBook.now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
            return Date(timeIntervalSince1970: todayStart - Double(joinedDaysAgo) * 86_400)
        }
    }

    let members: [Member]
    let generator: SyntheticInteractions

    init(seed: UInt64 = 1, count: Int, average: Int = 12) {
        let customers = SyntheticCustomers(seed: seed)
        let segmenter = Segmenter(policy: .defaults)
        let generator = SyntheticInteractions(seed: seed, averagePerCustomer: average, now: Self.now)
        members = (0..<count).map { index in
            let (profile, days) = customers.customer(index, today: Self.today)
            let since = Self.now.addingTimeInterval(-Double(days) * 86_400)
            let tier = segmenter.segment(profile, customerSince: since, activity: nil, today: Self.today).valueTier
            let history = generator.history(index, profile: profile, valueTier: tier, joinedDaysAgo: days)
            return Member(index: index, profile: profile, joinedDaysAgo: days, tier: tier, history: history)
        }
        self.generator = generator
    }

    /// Every interaction of every member, with made-up ids ("c<member>-<position>").
    var interactions: [(member: Member, interaction: Interaction)] {
        members.flatMap { member in
            member.history.interactions.enumerated().map { position, draft in
                (member, draft.interaction(
                    id: "c\(member.index)-\(position)", customerID: "c\(member.index)", recordedAt: Self.now,
                    followUpOf: draft.followUpOf.map { "c\(member.index)-\($0)" }))
            }
        }
    }

    /// Shares of promoters, passives and detractors among the survey responses of `members`.
    static func npsShares(_ members: [Member]) -> (promoters: Double, passives: Double, detractors: Double) {
        var tally = NpsTally()
        for member in members {
            for category in member.history.interactions.compactMap(\.survey?.category) { tally.add(category) }
        }
        let total = Double(max(1, tally.responses))
        return (Double(tally.promoters) / total, Double(tally.passives) / total, Double(tally.detractors) / total)
    }
}
