import Foundation
import RapportProto

/// Requests for customer tests: a valid profile to start from, adjusted per test.
enum CustomerFixtures {
    static func profile(name: String = "Ada Lovelace", assets: Int64 = 2_500_000, branch: String = "0042") -> Rapport_V1_CustomerProfile {
        .with {
            $0.fullName = name
            $0.dateOfBirth = .with { $0.year = 1985; $0.month = 12; $0.day = 10 }
            $0.phone = "+447700900123"
            $0.email = "ada@example.com"
            $0.nationalID = "QQ123456C"
            $0.address = .with {
                $0.line1 = "12 St James's Square"
                $0.city = "London"
                $0.postalCode = "SW1Y 4JH"
                $0.countryCode = "GB"
            }
            $0.preferredLanguage = "en-GB"
            $0.preferredChannel = .mobileApp
            $0.branchID = branch
            $0.relationshipManagerID = "rm-7"
            $0.occupation = "Engineer"
            $0.annualIncome = .with { $0.minorUnits = 6_500_000; $0.currencyCode = "GBP" }
            $0.assetsUnderManagement = .with { $0.minorUnits = assets; $0.currencyCode = "GBP" }
            $0.products = [.with {
                $0.productCode = "CURRENT_ACCOUNT"
                $0.openedOn = .with { $0.year = 2015; $0.month = 3; $0.day = 1 }
            }]
            $0.riskLevel = .moderate
            $0.kycStatus = .verified
        }
    }

    static func create(_ profile: Rapport_V1_CustomerProfile = profile(), externalRef: String = "", requestID: String = "")
        -> Rapport_V1_CreateCustomerRequest
    {
        .with {
            $0.profile = profile
            $0.externalRef = externalRef
            $0.requestID = requestID
        }
    }
}
