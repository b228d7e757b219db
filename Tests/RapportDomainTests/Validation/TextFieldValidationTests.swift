import RapportDomain
import Testing

@Suite("Validation: names, identifiers and text fields")
struct TextFieldValidationTests {
    @Test("The valid profile passes")
    func validProfilePasses() {
        #expect(failure() == nil)
        #expect(failure(externalRef: nil) == nil)
    }

    @Test("full_name is required, 1–200 characters after trimming, without control characters", arguments: [
        ("Ada Lovelace", true),
        ("  Ada  ", true),
        ("王小明", true),
        ("José Ñúñez-O'Brien", true),
        (repeated("a", 200), true),
        ("  " + repeated("é", 200) + "  ", true),
        ("", false),
        ("   \n ", false),
        (repeated("a", 201), false),
        ("Ada\nLovelace", false),
        ("Ada\tLovelace", false),
        ("Ada\u{0}", false),
        ("Ada\u{7F}", false),
    ])
    func fullName(_ name: String, _ valid: Bool) {
        let result = failure { $0.fullName = name }
        #expect(valid ? result == nil : result?.field == "profile.full_name")
    }

    @Test("An empty full_name says it is required")
    func fullNameRequiredReason() {
        #expect(failure { $0.fullName = " " } == ValidationFailure(field: "profile.full_name", reason: "is required"))
    }

    @Test("A long full_name says the limit and the length")
    func fullNameLengthReason() {
        let reason = failure { $0.fullName = repeated("a", 230) }?.reason ?? ""
        #expect(reason.contains("200") && reason.contains("230"))
    }

    @Test("national_id is at most 64 printable characters", arguments: [
        ("", true),
        ("QQ 12 34 56 C", true),
        ("110101199003077777", true),
        (repeated("9", 64), true),
        (repeated("9", 65), false),
        ("QQ\u{200B}123456", false),
        ("QQ\n123456", false),
    ])
    func nationalID(_ id: String, _ valid: Bool) {
        let result = failure { $0.nationalID = id }
        #expect(valid ? result == nil : result?.field == "profile.national_id")
    }

    @Test("external_ref is empty, nil, or 1–64 printable characters without spaces", arguments: [
        (String?.none, true),
        ("", true),
        ("CB-000123", true),
        ("客户-00042", true),
        (repeated("X", 64), true),
        (repeated("X", 65), false),
        ("CB 000123", false),
        ("CB\u{00A0}000123", false),
        ("CB\u{0}000123", false),
        ("CB\u{200D}000123", false),
    ])
    func externalRef(_ ref: String?, _ valid: Bool) {
        let result = failure(externalRef: ref)
        #expect(valid ? result == nil : result?.field == "external_ref")
    }

    @Test("branch_id, relationship_manager_id and occupation are at most 128 characters", arguments: [
        ("profile.branch_id", 128, true), ("profile.branch_id", 129, false),
        ("profile.relationship_manager_id", 128, true), ("profile.relationship_manager_id", 129, false),
        ("profile.occupation", 128, true), ("profile.occupation", 129, false),
    ])
    func shortText(_ field: String, _ length: Int, _ valid: Bool) {
        let text = repeated("b", length)
        let result = failure {
            switch field {
            case "profile.branch_id": $0.branchID = text
            case "profile.relationship_manager_id": $0.relationshipManagerID = text
            default: $0.occupation = text
            }
        }
        #expect(valid ? result == nil : result == ValidationFailure(field: field, reason: "must be at most 128 characters (got 129)"))
    }

    @Test("preferred_language is empty or a BCP 47-shaped tag", arguments: [
        ("", true), ("en", true), ("en-GB", true), ("yue", true), ("zh-Hant-HK", true), ("es-419", true),
        ("de-CH-1996", true), ("en-GB-" + repeated("x", 8), true),
        ("e", false), ("english", false), ("en_GB", false), ("en-", false), ("en--GB", false), ("1en", false),
        ("en-GB-abcdefghi", false), ("en GB", false), ("en-" + Array(repeating: "abcdefgh", count: 4).joined(separator: "-"), false),
    ])
    func preferredLanguage(_ tag: String, _ valid: Bool) {
        let result = failure { $0.preferredLanguage = tag }
        #expect(valid ? result == nil : result?.field == "profile.preferred_language")
    }

    @Test("address country_code is empty or two upper-case letters", arguments: [
        ("", true), ("GB", true), ("CN", true), ("gb", false), ("GBR", false), ("G1", false), ("G", false),
    ])
    func countryCode(_ code: String, _ valid: Bool) {
        let result = failure { $0.address?.countryCode = code }
        #expect(valid ? result == nil : result?.field == "profile.address.country_code")
    }

    @Test("address lines are at most 128 characters", arguments: ["line1", "line2", "city", "postal_code"])
    func addressLines(_ name: String) {
        let result = failure {
            let long = repeated("a", 129)
            switch name {
            case "line1": $0.address?.line1 = long
            case "line2": $0.address?.line2 = long
            case "city": $0.address?.city = long
            default: $0.address?.postalCode = long
            }
        }
        #expect(result?.field == "profile.address.\(name)")
    }

    @Test("No address at all is fine")
    func noAddress() {
        #expect(failure { $0.address = nil } == nil)
    }
}
