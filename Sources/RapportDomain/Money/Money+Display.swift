extension Money {
    /// For people: "GBP 1,250,000.00", "JPY 5,000", "KWD 1.500", with the currency's ISO 4217
    /// exponent and comma grouping; locale-independent so that reasons read the same everywhere.
    public var displayString: String {
        "\(currencyCode) \(Self.formatAmount(minorUnits, exponent: CurrencyExponent.exponent(for: currencyCode)))"
    }

    /// `minorUnits` as a decimal amount with `exponent` decimals and thousands separators.
    static func formatAmount(_ minorUnits: Int64, exponent: Int) -> String {
        // The magnitude is unsigned so that Int64.min formats instead of trapping.
        let magnitude = minorUnits.magnitude
        var scale: UInt64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = String(magnitude / scale)
        var grouped = ""
        for (index, digit) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        var text = minorUnits < 0 ? "-" + grouped : grouped
        if exponent > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: exponent - fraction.count) + fraction
        }
        return text
    }
}
