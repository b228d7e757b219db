import RapportDomain
import Testing

@Suite("Validation: the first failure in wire order")
struct ValidationOrderTests {
    @Test("external_ref comes before the profile")
    func externalRefFirst() {
        #expect(failure(externalRef: "has space") { $0.fullName = "" }?.field == "external_ref")
    }

    @Test("Profile fields are checked in customer.proto order")
    func profileOrder() {
        let broken: (inout CustomerProfile) -> Void = {
            $0.fullName = ""
            $0.dateOfBirth = day(2023, 2, 29)
            $0.phone = "0"
            $0.email = "x"
            $0.nationalID = repeated("9", 65)
            $0.address?.countryCode = "gb"
            $0.preferredLanguage = "x"
            $0.branchID = repeated("b", 129)
            $0.relationshipManagerID = repeated("b", 129)
            $0.occupation = repeated("b", 129)
            $0.annualIncome = gbp(-1)
            $0.assetsUnderManagement = gbp(-1)
            $0.products[0].productCode = "bad"
            $0.products[1].productCode = "bad"
        }
        let expected = [
            "profile.full_name", "profile.date_of_birth", "profile.phone", "profile.email", "profile.national_id",
            "profile.address.country_code", "profile.preferred_language", "profile.branch_id",
            "profile.relationship_manager_id", "profile.occupation", "profile.annual_income",
            "profile.assets_under_management", "profile.products[0].product_code",
            "profile.products[1].product_code",
        ]
        var profile = validProfile()
        broken(&profile)
        // Fix the reported field each time: the next failure must be the next field in order.
        for field in expected {
            let result = CustomerValidator.validate(profile, externalRef: nil, today: today)
            #expect(result?.field == field)
            let fixed = validProfile()
            switch field {
            case "profile.full_name": profile.fullName = fixed.fullName
            case "profile.date_of_birth": profile.dateOfBirth = fixed.dateOfBirth
            case "profile.phone": profile.phone = fixed.phone
            case "profile.email": profile.email = fixed.email
            case "profile.national_id": profile.nationalID = fixed.nationalID
            case "profile.address.country_code": profile.address = fixed.address
            case "profile.preferred_language": profile.preferredLanguage = fixed.preferredLanguage
            case "profile.branch_id": profile.branchID = fixed.branchID
            case "profile.relationship_manager_id": profile.relationshipManagerID = fixed.relationshipManagerID
            case "profile.occupation": profile.occupation = fixed.occupation
            case "profile.annual_income": profile.annualIncome = fixed.annualIncome
            case "profile.assets_under_management": profile.assetsUnderManagement = fixed.assetsUnderManagement
            case "profile.products[0].product_code": profile.products[0] = fixed.products[0]
            default: profile.products[1] = fixed.products[1]
            }
        }
        #expect(CustomerValidator.validate(profile, externalRef: nil, today: today) == nil)
    }

    @Test("A failure prints as field: reason")
    func description() {
        #expect(ValidationFailure(field: "profile.email", reason: "is bad").description == "profile.email: is bad")
    }
}
