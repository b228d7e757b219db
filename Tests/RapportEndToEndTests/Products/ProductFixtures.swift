import RapportProto

/// Wire products for the catalog tests.
enum ProductFixtures {
    /// A valid wealth product; tests change one field to break it.
    static func fund(_ code: String = "FUND_BALANCED") -> Rapport_V1_Product {
        .with {
            $0.code = code
            $0.name = "Balanced Fund"
            $0.description_p = "60% shares, 40% bonds. Capital at risk."
            $0.category = .wealth
            $0.eligibility = .with {
                $0.minAge = 18
                $0.maxAge = 85
                $0.minAssets = .with { $0.minorUnits = 5_000_00; $0.currencyCode = "GBP" }
                $0.allowedValueTiers = [.affluent, .private]
                $0.requiredKycStatus = .verified
                $0.riskRating = .moderate
            }
            $0.declineCooldownDays = 120
            $0.businessWeight = 45
        }
    }

    /// A product without eligibility rules in `category`.
    static func plain(_ code: String, _ category: Rapport_V1_ProductCategory = .card) -> Rapport_V1_Product {
        .with {
            $0.code = code
            $0.name = "Plain \(code)"
            $0.category = category
        }
    }
}
