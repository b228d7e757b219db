import Testing
@testable import RapportStore

@Suite struct NameKeyTests {
    @Test(arguments: [
        ("  Zoë   ÅNGSTRÖM ", "zoe angstrom"),
        ("Chloé\tMartin", "chloe martin"),
        ("ＡＢＣ", "abc"),
        ("O\u{0301}scar", "oscar"),
        ("bad\u{10FFFF}\u{0007}name", "badname"),
        ("", ""),
        ("Łukasz Żółć", "lukasz zolc"),
        ("ØYSTEIN Ærø", "oystein aero"),
        ("Þóra Sigurðardóttir", "thora sigurdardottir"),
        ("Straße Œuvre", "strasse oeuvre"),
        ("Đorđe Ħal ıl", "dorde hal il"),
    ])
    func normalisesNames(_ name: String, _ key: String) {
        #expect(NameKey.key(for: name) == key)
    }

    /// Every letter the table spells is lower case (keys are folded first) and spelled in ASCII.
    @Test func latinASCIITableIsLowerCaseAndASCII() {
        for (letter, spelled) in NameKey.latinASCII {
            #expect(String(letter).lowercased() == String(letter), "\(letter)")
            #expect(spelled.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isLowercase }, "\(letter)")
            #expect(NameKey.key(for: String(letter).uppercased()) == spelled, "\(letter)")
        }
    }

    @Test func prefixesKeepOneTrailingSpaceAndEmptyMeansNoFilter() {
        #expect(NameKey.prefix(for: "Ann  ") == "ann ")
        #expect(NameKey.prefix(for: "  Ann") == "ann")
        #expect(NameKey.prefix(for: "   ") == nil)
        #expect(NameKey.prefix(for: "") == nil)
    }
}
