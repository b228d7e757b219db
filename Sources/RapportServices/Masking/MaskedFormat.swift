/// How each kind of personal data reads for a caller without `customers.read_personal_data`.
///
/// Every masked text contains `bullet` (U+2022), which no valid phone, email or national id has:
/// that is how `MaskedValueGuard` recognises a masked value sent back in a write. The number of
/// bullets is fixed, so a masked value does not tell the length of the real one.
public enum MaskedFormat {
    /// The character that stands for hidden characters.
    public static let bullet: Character = "\u{2022}"
    /// What stands for the hidden part of every masked text.
    public static let hidden = String(repeating: bullet, count: 7)

    /// The phone's last 3 digits after the hidden part: "+447700900123" reads "•••••••123".
    /// A phone of 3 digits or fewer is hidden entirely.
    public static func phone(_ phone: String) -> String {
        let digits = phone.filter(\.isASCIIDigit)
        return digits.count > 3 ? hidden + String(digits.suffix(3)) : hidden
    }

    /// The email's first letter and its domain: "ada@example.com" reads "a•••••••@example.com".
    /// Text without "@" (or with nothing before it) is hidden entirely.
    public static func email(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), let first = email.first, email.startIndex < at else { return hidden }
        return String(first) + hidden + String(email[at...])
    }

    /// The national id's last 4 characters: "QQ123456C" reads "•••••••456C". An id of 4
    /// characters or fewer is hidden entirely.
    public static func nationalID(_ id: String) -> String {
        id.count > 4 ? hidden + String(id.suffix(4)) : hidden
    }
}

extension Character {
    /// 0–9 only: `isNumber` also accepts other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
