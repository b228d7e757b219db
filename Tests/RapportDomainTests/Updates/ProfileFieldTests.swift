import RapportDomain
import Testing

@Suite("Field masks")
struct ProfileFieldTests {
    @Test("Every profile field has its wire name")
    func wireNames() {
        #expect(ProfileField.allCases.map(\.rawValue) == [
            "full_name", "date_of_birth", "phone", "email", "national_id", "address", "preferred_language",
            "preferred_channel", "branch_id", "relationship_manager_id", "occupation", "annual_income",
            "assets_under_management", "products", "risk_level", "kyc_status",
        ])
    }

    @Test("No CustomerProfile property is missing from ProfileField")
    func coversTheModel() {
        let properties = Mirror(reflecting: CustomerProfile()).children.compactMap(\.label).map(Self.snakeCase)
        #expect(properties == ProfileField.allCases.map(\.rawValue))
    }

    /// "relationshipManagerID" → "relationship_manager_id".
    private static func snakeCase(_ name: String) -> String {
        let name = name.hasSuffix("ID") ? String(name.dropLast(2)) + "Id" : name
        return name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }

    @Test("Known paths parse in first-mention order; duplicates are fine")
    func parse() throws {
        let fields = try ProfileField.parse(["email", "address", "email", "products"]).get()
        #expect(fields == [.email, .address, .products])
        #expect(try ProfileField.parse(ProfileField.allCases.map(\.rawValue)).get() == ProfileField.allCases)
    }

    @Test("An empty mask is refused")
    func emptyMask() {
        #expect(ProfileField.parse([]) == .failure(ValidationFailure(field: "update_mask", reason: "update_mask must name at least one field")))
    }

    @Test("Unknown paths are refused, naming the path", arguments: ["nickname", "", "FULL_NAME", "fullName", "external_ref", "segmentation"])
    func unknown(_ path: String) {
        guard case .failure(let failure) = ProfileField.parse(["email", path]) else {
            Issue.record("\(path) was accepted")
            return
        }
        #expect(failure.field == "update_mask")
        #expect(failure.reason.hasPrefix("\"\(path)\" is not a customer profile field"))
    }

    @Test("Sub-paths are refused: fields are replaced whole", arguments: [
        ("address.city", "address"), ("annual_income.currency_code", "annual_income"), ("products.0", "products"),
    ])
    func subPaths(_ path: String, _ parent: String) {
        guard case .failure(let failure) = ProfileField.parse([path]) else {
            Issue.record("\(path) was accepted")
            return
        }
        #expect(failure.field == "update_mask")
        #expect(failure.reason == "\"\(path)\" names part of a field; fields are replaced whole, so name \"\(parent)\" instead")
    }

    @Test("replace copies exactly the named fields")
    func replaceNamed() {
        let original = validProfile()
        var replacement = CustomerProfile()
        replacement.email = "new@example.com"
        replacement.fullName = "Ada King"
        var updated = original
        updated.replace([.email, .address], from: replacement)
        #expect(updated.email == "new@example.com")
        #expect(updated.address == nil)
        #expect(updated.fullName == original.fullName)
        #expect(updated.products == original.products)
        var expected = original
        expected.email = "new@example.com"
        expected.address = nil
        #expect(updated == expected)
    }

    @Test("Each field on its own replaces only itself", arguments: ProfileField.allCases)
    func replaceEach(_ field: ProfileField) {
        let original = validProfile()
        var updated = original
        updated.replace([field], from: CustomerProfile())
        #expect(updated != original)
        var restored = updated
        restored.replace(ProfileField.allCases.filter { $0 != field }, from: original)
        #expect(restored != original)
        restored.replace([field], from: original)
        #expect(restored == original)
    }

    @Test("Replacing every field yields the other profile")
    func replaceAll() {
        var updated = validProfile()
        var other = CustomerProfile()
        other.fullName = "Someone Else"
        updated.replace(ProfileField.allCases, from: other)
        #expect(updated == other)
    }
}
