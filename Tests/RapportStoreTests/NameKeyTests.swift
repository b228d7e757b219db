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
    ])
    func normalisesNames(_ name: String, _ key: String) {
        #expect(NameKey.key(for: name) == key)
    }

    @Test func prefixesKeepOneTrailingSpaceAndEmptyMeansNoFilter() {
        #expect(NameKey.prefix(for: "Ann  ") == "ann ")
        #expect(NameKey.prefix(for: "  Ann") == "ann")
        #expect(NameKey.prefix(for: "   ") == nil)
        #expect(NameKey.prefix(for: "") == nil)
    }
}
