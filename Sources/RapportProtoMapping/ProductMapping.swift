import Foundation
import RapportDomain
import RapportProto

// The domain ↔ `rapport.v1.Product` mapping of a product's definition, shared by the service
// (requests and replies) and the store (which keeps each revision's definition as this message).
// Version fields (times, etag, revision, active) are mapped by their owners.

extension ProductCategory: WireMappedEnum {}

extension Product {
    /// The definition in a request or a stored row; version fields are left at their defaults.
    /// - Throws: a failure naming the field for an unknown enum value or an unset category.
    public init(definition wire: Rapport_V1_Product, field prefix: String = "product") throws(ValidationFailure) {
        self.init(
            code: wire.code, name: wire.name, description: wire.description_p,
            category: try wire.category.required(field: "\(prefix).category"),
            eligibility: try EligibilityRules(wire: wire.eligibility, field: "\(prefix).eligibility"),
            declineCooldownDays: Int(wire.declineCooldownDays), businessWeight: Int(wire.businessWeight))
    }

    /// The definition as a wire message, without version fields.
    public var definitionWire: Rapport_V1_Product {
        .with {
            $0.code = code
            $0.name = name
            $0.description_p = description
            $0.category = category.wire()
            $0.eligibility = eligibility.wire
            $0.declineCooldownDays = Int32(clamping: declineCooldownDays)
            $0.businessWeight = Int32(clamping: businessWeight)
        }
    }
}

extension EligibilityRules {
    /// The rules of a wire message: 0 ages mean no limit, unset money no minimum.
    public init(wire: Rapport_V1_ProductEligibility, field prefix: String) throws(ValidationFailure) {
        var tiers: [ValueTier] = []
        for (index, tier) in wire.allowedValueTiers.enumerated() {
            tiers.append(try tier.required(field: "\(prefix).allowed_value_tiers[\(index)]", reason: "must name a value tier"))
        }
        self.init(
            minAge: wire.minAge == 0 ? nil : Int(wire.minAge),
            maxAge: wire.maxAge == 0 ? nil : Int(wire.maxAge),
            minAnnualIncome: wire.hasMinAnnualIncome ? Money(wire: wire.minAnnualIncome) : nil,
            minAssets: wire.hasMinAssets ? Money(wire: wire.minAssets) : nil,
            allowedValueTiers: tiers,
            requiredKYCStatus: try wire.requiredKycStatus.domain(field: "\(prefix).required_kyc_status"),
            riskRating: try wire.riskRating.domain(field: "\(prefix).risk_rating"))
    }

    public var wire: Rapport_V1_ProductEligibility {
        .with {
            $0.minAge = Int32(clamping: minAge ?? 0)
            $0.maxAge = Int32(clamping: maxAge ?? 0)
            if let minAnnualIncome { $0.minAnnualIncome = minAnnualIncome.wire }
            if let minAssets { $0.minAssets = minAssets.wire }
            $0.allowedValueTiers = allowedValueTiers.map { $0.wire() }
            $0.requiredKycStatus = requiredKYCStatus.wire()
            $0.riskRating = riskRating.wire()
        }
    }
}
