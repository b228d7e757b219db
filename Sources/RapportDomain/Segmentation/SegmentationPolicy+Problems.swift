extension SegmentationPolicy {
    /// What is inconsistent in this policy, in words for an operator; empty when it is usable.
    /// Meant for configuration loading, so that a typo fails at start-up instead of silently
    /// putting every customer in the wrong segment.
    public var problems: [String] {
        var problems: [String] = []
        for (currency, t) in valueThresholds.sorted(by: { $0.key < $1.key }) {
            if !TextRule.isUpperLetterCode(currency, count: 3) {
                problems.append("value threshold currency \"\(currency)\" is not three upper-case letters")
            }
            if min(t.privateAssets, t.privateIncome, t.affluentAssets, t.affluentIncome) < 0 {
                problems.append("value thresholds for \(currency) must not be negative")
            }
            if t.affluentAssets > t.privateAssets || t.affluentIncome > t.privateIncome {
                problems.append("value thresholds for \(currency): affluent thresholds must not exceed private ones")
            }
        }
        if acquisitionDays < 0 { problems.append("acquisitionDays must not be negative") }
        if growthYears < 0 { problems.append("growthYears must not be negative") }
        if growthMaxActiveProducts < 0 { problems.append("growthMaxActiveProducts must not be negative") }
        if !(declineDropRatio > 0 && declineDropRatio <= 1) { problems.append("declineDropRatio must be greater than 0 and at most 1") }
        if declineMinPreviousContacts < 1 { problems.append("declineMinPreviousContacts must be at least 1") }
        if recentWindowDays < 1 { problems.append("recentWindowDays must be at least 1") }
        return problems
    }
}
