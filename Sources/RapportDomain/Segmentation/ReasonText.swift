/// Small wording helpers so that every reason reads the same way.
enum ReasonText {
    /// "1 product", "3 products".
    static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(value) \(value == 1 ? singular : plural ?? singular + "s")"
    }

    /// A ratio as a percentage with at most one decimal: 0.5 → "50%", 1/3 → "33.3%".
    static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "\(ratio)" }
        let perMille = Int((ratio * 1000).rounded())
        let sign = perMille < 0 ? "-" : ""
        let magnitude = abs(perMille)
        let tenths = magnitude % 10
        return tenths == 0 ? "\(sign)\(magnitude / 10)%" : "\(sign)\(magnitude / 10).\(tenths)%"
    }
}
