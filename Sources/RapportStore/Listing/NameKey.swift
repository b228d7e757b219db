import Foundation

/// The normalised form of a full name that name-prefix queries compare against.
///
/// Case, accents and width are folded, runs of white space become one space, and control and
/// noncharacter code points are dropped. Because U+10FFFF (a noncharacter) never occurs in a key,
/// `key >= prefix AND key < prefix + "\u{10FFFF}"` is exactly "key starts with prefix" under
/// SQLite's binary collation, so a prefix is a range on the `(name_key, id)` index.
enum NameKey {
    /// Appended to a prefix to make the exclusive upper bound of its range.
    static let upperBoundSuffix = "\u{10FFFF}"

    /// The key stored for a full name.
    static func key(for name: String) -> String {
        normalise(name, keepTrailingSpace: false)
    }

    /// The key prefix for a query's name prefix; nil when nothing is left (no filter).
    ///
    /// A trailing space is kept ("ann " matches "Ann Lee" but not "Anna"), collapsed to one.
    static func prefix(for namePrefix: String) -> String? {
        let key = normalise(namePrefix, keepTrailingSpace: true)
        return key.isEmpty ? nil : key
    }

    private static func normalise(_ text: String, keepTrailingSpace: Bool) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if properties.isNoncharacterCodePoint || properties.generalCategory == .control
                || properties.generalCategory == .format || properties.generalCategory == .surrogate
            {
                continue
            }
            if properties.generalCategory == .nonspacingMark {
                // Folding leaves some combining marks on Linux; accents do not distinguish names.
                continue
            }
            if pendingSpace, !scalars.isEmpty {
                scalars.append(" ")
            }
            pendingSpace = false
            scalars.append(scalar)
        }
        if pendingSpace, keepTrailingSpace, !scalars.isEmpty {
            scalars.append(" ")
        }
        return String(scalars).lowercased()
    }
}
