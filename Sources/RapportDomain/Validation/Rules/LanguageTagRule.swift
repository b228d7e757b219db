/// A BCP 47-shaped language tag ("en", "en-GB", "zh-Hant-HK"), without checking the registry:
/// the daemon stores the preference, it does not translate, so shape is what matters.
enum LanguageTagRule {
    static let reason = "must be a BCP 47 language tag such as en-GB (a 2 or 3 letter language, then hyphen-separated letters or digits, at most 35 characters)"

    /// A reason unless `tag` is 2–35 characters of letters, digits and hyphens, starting with a
    /// 2–3 letter language subtag, with subtags of 1–8 characters separated by single hyphens.
    static func check(_ tag: String) -> String? {
        guard (2...35).contains(tag.unicodeScalars.count) else { return reason }
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = subtags.first,
              (2...3).contains(language.unicodeScalars.count),
              language.unicodeScalars.allSatisfy(TextRule.isASCIILetter)
        else { return reason }
        for subtag in subtags.dropFirst() {
            let scalars = subtag.unicodeScalars
            guard (1...8).contains(scalars.count),
                  scalars.allSatisfy({ TextRule.isASCIILetter($0) || TextRule.isASCIIDigit($0) })
            else { return reason }
        }
        return nil
    }
}
