extension InteractionPolicy {
    /// The longest follow-up SLA: a year. A longer one is no closed loop, and due times must stay
    /// within what the store can keep as milliseconds.
    public static let maxFollowUpSLASeconds = 365 * 86_400
    /// The most clock skew allowed: a day. Beyond that, future-dated contacts are mistakes, not skew.
    public static let maxFutureSkewSeconds = 86_400

    /// What is unusable in this policy, in words for an operator; empty when it is usable.
    /// Meant for configuration loading, so that a typo fails at start-up instead of refusing
    /// every interaction or never flagging an overdue follow-up.
    public var problems: [String] {
        var problems: [String] = []
        if !(1...Self.maxFollowUpSLASeconds).contains(followUpSLASeconds) {
            problems.append("followUpSLASeconds must be 1 to \(Self.maxFollowUpSLASeconds) (365 days)")
        }
        if !(0...Self.maxFutureSkewSeconds).contains(futureSkewSeconds) {
            problems.append("futureSkewSeconds must be 0 to \(Self.maxFutureSkewSeconds) (a day)")
        }
        if maxSummaryLength < 1 { problems.append("maxSummaryLength must be at least 1") }
        if maxSurveyReasonLength < 1 { problems.append("maxSurveyReasonLength must be at least 1") }
        if maxBatchSize < 1 { problems.append("maxBatchSize must be at least 1") }
        return problems
    }
}
