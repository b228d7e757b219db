/// Decides the value tier from assets under management and annual income, each compared with the
/// thresholds of its own currency; the higher of the two measures decides.
struct ValueTierClassifier {
    let thresholds: [String: ValueThresholds]

    /// One money measure of the profile and the thresholds that apply to it.
    private struct Measure {
        let label: String
        let money: Money
        let privateLimit: KeyPath<ValueThresholds, Int64>
        let affluentLimit: KeyPath<ValueThresholds, Int64>
    }

    func classify(_ profile: CustomerProfile) -> (ValueTier, [String]) {
        let measures = [
            profile.assetsUnderManagement.map {
                Measure(label: "assets under management", money: $0, privateLimit: \.privateAssets, affluentLimit: \.affluentAssets)
            },
            profile.annualIncome.map {
                Measure(label: "annual income", money: $0, privateLimit: \.privateIncome, affluentLimit: \.affluentIncome)
            },
        ].compactMap { $0 }
        guard !measures.isEmpty else { return (.mass, ["no assets or income on record"]) }

        var priced: [(Measure, ValueThresholds)] = []
        var unpriced: [String] = []
        for measure in measures {
            let code = measure.money.currencyCode
            if let limits = thresholds[code] {
                priced.append((measure, limits))
            } else {
                unpriced.append("\(measure.label) \(measure.money.displayString) not counted: no value thresholds for \(code)")
            }
        }

        let privateReached = priced.filter { $0.0.money.minorUnits >= $0.1[keyPath: $0.0.privateLimit] }
        if !privateReached.isEmpty {
            return (.privateBanking, privateReached.map { compare($0.0, $0.1, $0.0.privateLimit, "private") } + unpriced)
        }
        let affluentReached = priced.filter { $0.0.money.minorUnits >= $0.1[keyPath: $0.0.affluentLimit] }
        if !affluentReached.isEmpty {
            // Also say why not private: that is the next question staff ask.
            let belowPrivate = priced.map { compare($0.0, $0.1, $0.0.privateLimit, "private") }
            return (.affluent, affluentReached.map { compare($0.0, $0.1, $0.0.affluentLimit, "affluent") } + belowPrivate + unpriced)
        }
        return (.mass, priced.map { compare($0.0, $0.1, $0.0.affluentLimit, "affluent") } + unpriced)
    }

    /// "assets under management GBP 1,250,000.00 ≥ private threshold GBP 1,000,000.00".
    private func compare(
        _ measure: Measure, _ limits: ValueThresholds, _ limit: KeyPath<ValueThresholds, Int64>, _ tier: String
    ) -> String {
        let threshold = Money(minorUnits: limits[keyPath: limit], currencyCode: measure.money.currencyCode)
        let relation = measure.money.minorUnits >= threshold.minorUnits ? "≥" : "<"
        return "\(measure.label) \(measure.money.displayString) \(relation) \(tier) threshold \(threshold.displayString)"
    }
}
