/// E.164 numbers only: one canonical form lets the bank match a caller's number and send SMS
/// without guessing the country.
enum PhoneRule {
    static let reason = "must be an E.164 number such as +447700900123 (a + then 8 to 15 digits, no spaces)"

    /// A reason when `phone` is not "+" followed by 8–15 ASCII digits, the first 1–9.
    static func check(_ phone: String) -> String? {
        let scalars = Array(phone.unicodeScalars)
        guard scalars.first == "+" else { return reason }
        let digits = scalars.dropFirst()
        guard (8...15).contains(digits.count),
              digits.allSatisfy(TextRule.isASCIIDigit),
              digits.first != "0"
        else { return reason }
        return nil
    }
}
