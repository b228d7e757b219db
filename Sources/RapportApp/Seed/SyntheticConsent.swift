import Foundation
import RapportDomain

/// Consent decisions for a synthetic customer, as captured when they joined (or when the log
/// began): marketing on some channels for most customers (an explicit refusal for about one in
/// eight), profiling for about two in three. Service contact needs no seeded consent.
enum SyntheticConsent {
    /// The share of customers who refuse all marketing.
    static let refusesMarketingShare = 0.12
    /// The share of customers who grant marketing on each consent channel, unless they refuse all.
    private static let marketingShares: [(ConsentChannel, Double)] = [
        (.email, 0.65), (.appPush, 0.55), (.sms, 0.4), (.phone, 0.25), (.post, 0.2),
    ]

    /// The decisions of a customer whose history starts at `start`, captured at their branch or in
    /// the app within the first weeks (never after `now`).
    static func decisions(start: Date, now: Date, branchID: String, random: inout SeededRandom) -> [ConsentDecision] {
        let decidedAt = min(now, start.addingTimeInterval(random.unit() * 14 * 86_400))
        let atBranch = random.chance(0.4)
        func decision(_ channel: ConsentChannel, _ purpose: ConsentPurpose, _ granted: Bool) -> ConsentDecision {
            ConsentDecision(
                channel: channel, purpose: purpose, granted: granted, decidedAt: decidedAt,
                source: atBranch ? .branch : .channel, sourceDetail: atBranch ? "branch \(branchID)" : "mobile app",
                recordedBy: atBranch ? "br\(branchID)-staff" : "self-service")
        }
        var decisions: [ConsentDecision] = []
        if random.chance(refusesMarketingShare) {
            decisions += [ConsentChannel.email, .sms, .phone].map { decision($0, .marketing, false) }
        } else {
            for (channel, share) in marketingShares where random.chance(share) {
                decisions.append(decision(channel, .marketing, true))
            }
        }
        if random.chance(0.65) {
            decisions.append(decision(.email, .profiling, true))
        }
        return decisions
    }
}
