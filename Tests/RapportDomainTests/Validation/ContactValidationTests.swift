import RapportDomain
import Testing

/// 64 + 1 + 189 = 254 characters, the longest address allowed.
private let longestEmail = repeated("l", 64) + "@" + repeated("a", 63) + "." + repeated("b", 63) + "." + repeated("c", 61)

@Suite("Validation: email and phone")
struct ContactValidationTests {
    @Test("Well-formed email addresses pass", arguments: [
        "", "a@b.co", "ada.lovelace+statements@example.co.uk", "x@xn--bcher-kva.example", "o'brien@mail-1.example.ie",
        repeated("l", 64) + "@example.com", longestEmail,
    ])
    func validEmail(_ email: String) {
        #expect(failure { $0.email = email } == nil)
    }

    @Test("Malformed email addresses name profile.email", arguments: [
        "plain", "a@@example.com", "a@b@example.com", "@example.com", repeated("l", 65) + "@example.com",
        "a@localhost", "a@-example.com", "a@example-.com", "a@example..com", "a@exa_mple.com", "a b@example.com",
        "a@.example.com", "a@example.com.", "a@exämple.com", "a\n@example.com", longestEmail + "c",
        "a@" + repeated("a", 64) + ".com",
    ])
    func invalidEmail(_ email: String) {
        let result = failure { $0.email = email }
        #expect(result?.field == "profile.email")
        #expect(result?.reason.contains("such as name@example.com") == true)
    }

    @Test("E.164 phone numbers pass", arguments: ["", "+447700900123", "+12025550123", "+12345678", "+123456789012345", "+8613800138000"])
    func validPhone(_ phone: String) {
        #expect(failure { $0.phone = phone } == nil)
    }

    @Test("Anything but E.164 names profile.phone", arguments: [
        "447700900123", "+0447700900123", "+1234567", "+1234567890123456", "+44 7700 900123", "+44-7700900123",
        "++447700900123", "+", "+４４７７００９００１２３", "+44770090012a", "(020) 7946 0000",
    ])
    func invalidPhone(_ phone: String) {
        #expect(failure { $0.phone = phone } == ValidationFailure(
            field: "profile.phone", reason: "must be an E.164 number such as +447700900123 (a + then 8 to 15 digits, no spaces)"))
    }
}
