import Foundation
import RapportApp
import RapportDomain

/// Synthetic customers with what the uptake statistics group them by: the products they ever
/// held, their value tier and age today. Shared by the uptake tests and the documented figures.
struct UptakeSample {
    struct Member {
        let profile: CustomerProfile
        let joinedDaysAgo: Int
        let tier: ValueTier
        let age: Int
        let codes: Set<String>
    }

    let today: CalendarDate
    let members: [Member]

    init(seed: UInt64, count: Int, today: CalendarDate) {
        let customers = SyntheticCustomers(seed: seed)
        let segmenter = Segmenter(policy: .defaults)
        self.today = today
        members = (0..<count).map { index in
            let (profile, days) = customers.customer(index, today: today)
            let since = Date(timeIntervalSince1970: 1_795_000_000 - Double(days) * 86_400)
            let tier = segmenter.segment(profile, customerSince: since, activity: nil, today: today).valueTier
            let age = profile.dateOfBirth.map { today.fullYears(since: $0) } ?? 0
            return Member(profile: profile, joinedDaysAgo: days, tier: tier, age: age, codes: Set(profile.products.map(\.productCode)))
        }
    }

    /// Share of `members` (all by default) that ever held `code`.
    func share(_ code: String, among members: [Member]? = nil) -> Double {
        let group = members ?? self.members
        return group.isEmpty ? 0 : Double(group.filter { $0.codes.contains(code) }.count) / Double(group.count)
    }

    /// P(b | a) / P(b): how much holding `a` raises the chance of holding `b`.
    func lift(_ a: String, _ b: String) -> Double {
        let holdersOfA = members.filter { $0.codes.contains(a) }
        let base = share(b)
        return base == 0 ? 0 : share(b, among: holdersOfA) / base
    }

    /// Lift where `a` is any product of a family (e.g. every mortgage).
    func lift(anyOf family: Set<String>, _ b: String) -> Double {
        let holders = members.filter { !$0.codes.isDisjoint(with: family) }
        let base = share(b)
        return base == 0 ? 0 : share(b, among: holders) / base
    }

    /// Mean number of products ever held by the members `include` selects.
    func meanProducts(_ include: (Member) -> Bool) -> Double {
        let group = members.filter(include)
        return group.isEmpty ? 0 : Double(group.reduce(0) { $0 + $1.profile.products.count }) / Double(group.count)
    }
}
