import Foundation

/// The normalised form of a full name that name-prefix queries compare against.
///
/// Case, accents and width are folded, Latin letters that have no decomposition (Ł, Ø, Æ, Þ, ß …)
/// are spelled in ASCII as a person types them without that letter (`latinASCII`), runs of white
/// space become one space, and control and noncharacter code points are dropped. Because U+10FFFF (a noncharacter) never occurs in a key,
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
            .lowercased()
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
            if let spelled = latinASCII[scalar] {
                scalars.append(contentsOf: spelled.unicodeScalars)
            } else {
                scalars.append(scalar)
            }
        }
        if pendingSpace, keepTrailingSpace, !scalars.isEmpty {
            scalars.append(" ")
        }
        return String(scalars)
    }

    /// Lower-case Latin letters that Unicode does not decompose into a base letter and a mark, so
    /// folding accents leaves them as they are, with the ASCII a person types for them (the
    /// conventions of ICU's Latin-ASCII transliterator): "lukasz" finds "Łukasz", "oystein"
    /// "Øystein", "aero" "Ærø". Applied after case folding, so only lower-case forms are needed.
    /// Changing this table changes stored keys: it needs a migration that recomputes them
    /// (as `v11-name-key-transliteration` did).
    static let latinASCII: [Unicode.Scalar: String] = [
        "æ": "ae", "ð": "d", "ø": "o", "þ": "th", "ß": "ss", "đ": "d", "ħ": "h", "ı": "i", "ĸ": "k",
        "ŀ": "l", "ł": "l", "ŋ": "n", "œ": "oe", "ŧ": "t", "ſ": "s", "ĳ": "ij", "ǆ": "dz",
        "ǉ": "lj", "ǌ": "nj", "ǳ": "dz", "ƀ": "b", "ɓ": "b",
        "ƃ": "b", "ƈ": "c", "ȼ": "c", "ɗ": "d", "ƌ": "d", "ȡ": "d", "ɇ": "e", "ǝ": "e", "ɛ": "e",
        "ƒ": "f", "ɠ": "g", "ǥ": "g", "ɨ": "i", "ȷ": "j", "ɉ": "j", "ƙ": "k", "ƚ": "l", "ȴ": "l",
        "ɲ": "n", "ƞ": "n", "ȵ": "n", "ɵ": "o", "ɔ": "o", "ƥ": "p", "ɋ": "q", "ɍ": "r", "ȿ": "s",
        "ƫ": "t", "ƭ": "t", "ʈ": "t", "ȶ": "t", "ⱦ": "t", "ʉ": "u", "ʋ": "v", "ƴ": "y", "ɏ": "y",
        "ƶ": "z", "ȥ": "z", "ɀ": "z", "ⱥ": "a",
    ]
}
