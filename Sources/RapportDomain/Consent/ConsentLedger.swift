import Foundation

/// Answers what a customer currently consents to from the history of their decisions.
///
/// The history is append-only (a withdrawal is a new decision, never an edit), so the current
/// state is always derivable and every past state can be explained.
public enum ConsentLedger {
    /// The latest decision per (channel, purpose): the greatest `decidedAt`, and on equal times the
    /// one later in `history` (so a correction recorded in the same instant wins). Sorted by
    /// channel, then purpose, in their declaration order, so that answers are stable.
    public static func current(_ history: [ConsentDecision]) -> [ConsentDecision] {
        var latest: [Key: ConsentDecision] = [:]
        for decision in history {
            let key = Key(decision)
            // `>=`: on a tie the later position replaces the earlier one.
            if let existing = latest[key], existing.decidedAt > decision.decidedAt { continue }
            latest[key] = decision
        }
        return latest.values.sorted { Key($0) < Key($1) }
    }

    /// Whether `channel` may be used for `purpose`. No decision means no: banks need an explicit
    /// opt-in for marketing and profiling, so silence is never consent. Works on a full history as
    /// well as on `current(_:)`'s answer, by applying the same latest-wins rule. Messages the bank
    /// must send whatever the customer chose (fraud alerts, legal notices) rest on other grounds
    /// and are not this function's question.
    public static func allows(_ current: [ConsentDecision], channel: ConsentChannel, purpose: ConsentPurpose) -> Bool {
        let matching = current.filter { $0.channel == channel && $0.purpose == purpose }
        return Self.current(matching).first?.granted ?? false
    }

    /// A (channel, purpose) pair, ordered as the enums declare their cases.
    private struct Key: Hashable, Comparable {
        let channel: Int
        let purpose: Int

        init(_ decision: ConsentDecision) {
            channel = ConsentChannel.allCases.firstIndex(of: decision.channel) ?? 0
            purpose = ConsentPurpose.allCases.firstIndex(of: decision.purpose) ?? 0
        }

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.channel, lhs.purpose) < (rhs.channel, rhs.purpose)
        }
    }
}
