/// ISO 4217 minor-unit exponents: how many decimals a currency's minor units stand for.
public enum CurrencyExponent {
    /// Currencies whose exponent is not 2. Small on purpose: every other code, including unknown
    /// ones, is shown with 2 decimals, which is right for the great majority of currencies.
    static let nonDefault: [String: Int] = [
        // No minor unit.
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        // Thousandths.
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        // Ten-thousandths.
        "CLF": 4, "UYW": 4,
    ]

    /// The number of decimals in one major unit of `currencyCode` (2 when not listed).
    public static func exponent(for currencyCode: String) -> Int {
        nonDefault[currencyCode] ?? 2
    }
}
