import Testing

@testable import RapportServices

@Suite("Masking: the masked formats")
struct MaskedFormatTests {
    let hidden = MaskedFormat.hidden

    @Test func phoneKeepsItsLastThreeDigits() {
        #expect(MaskedFormat.phone("+447700900123") == hidden + "123")
        #expect(MaskedFormat.phone("+44 (0)20 7946-0958") == hidden + "958")
        #expect(MaskedFormat.phone("123") == hidden)
        #expect(MaskedFormat.phone("") == hidden)
    }

    @Test func emailKeepsItsFirstLetterAndDomain() {
        #expect(MaskedFormat.email("ada@example.com") == "a" + hidden + "@example.com")
        #expect(MaskedFormat.email("\"a@b\"@example.com") == "\"" + hidden + "@example.com")
        #expect(MaskedFormat.email("@example.com") == hidden)
        #expect(MaskedFormat.email("no-at-sign") == hidden)
    }

    @Test func nationalIDKeepsItsLastFour() {
        #expect(MaskedFormat.nationalID("QQ123456C") == hidden + "456C")
        #expect(MaskedFormat.nationalID("1234") == hidden)
    }

    @Test func theHiddenPartHasAFixedLengthWhateverTheValue() {
        #expect(MaskedFormat.phone("+1234567") == MaskedFormat.hidden + "567")
        #expect(MaskedFormat.phone("+123456789012345") == MaskedFormat.hidden + "345")
        #expect(MaskedFormat.nationalID("AB1234567890") == MaskedFormat.hidden + "7890")
    }
}
