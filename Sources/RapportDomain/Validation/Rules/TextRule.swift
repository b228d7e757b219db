/// Checks shared by free-text fields. Lengths count user-perceived characters (grapheme
/// clusters), so a name in any script gets the same allowance as one in Latin letters.
enum TextRule {
    /// A control character (Unicode category Cc: NUL, tab, newline, escape, DEL, C1 controls).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    /// A character that shows as a glyph or a space: not a control, format, surrogate,
    /// private-use or unassigned code point, and not a line or paragraph separator. Identifiers
    /// are compared byte for byte, so invisible characters in them would only cause confusion.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return true
        }
    }

    /// A reason when `text` is longer than `limit` characters.
    static func maxLength(_ text: String, _ limit: Int) -> String? {
        let count = text.count
        return count > limit ? "must be at most \(limit) characters (got \(count))" : nil
    }

    /// A reason when `text` is longer than `limit` or holds a non-printable character.
    static func printable(_ text: String, max limit: Int) -> String? {
        if let tooLong = maxLength(text, limit) { return tooLong }
        if !text.unicodeScalars.allSatisfy(isPrintable) {
            return "must contain only printable characters (no control or invisible characters)"
        }
        return nil
    }

    static func isASCIIUpperLetter(_ scalar: Unicode.Scalar) -> Bool { ("A"..."Z").contains(scalar) }
    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool { isASCIIUpperLetter(scalar) || ("a"..."z").contains(scalar) }
    static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// Whether `text` is exactly `count` ASCII upper-case letters, as ISO country and currency codes are.
    static func isUpperLetterCode(_ text: String, count: Int) -> Bool {
        text.unicodeScalars.count == count && text.unicodeScalars.allSatisfy(isASCIIUpperLetter)
    }
}
