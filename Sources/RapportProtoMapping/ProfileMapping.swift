import Foundation
import RapportDomain
import RapportProto
import SwiftProtobuf

// The domain ↔ `rapport.v1` mapping of profiles and segments, shared by the services (requests
// and replies) and the store (the `profile` and `segmentation` columns are these messages).

extension CustomerProfile {
    /// The domain profile of a request; unknown enum numbers fail with the field's wire path.
    public init(wire: Rapport_V1_CustomerProfile, field prefix: String = "profile") throws(ValidationFailure) {
        self.init()
        fullName = wire.fullName
        dateOfBirth = wire.hasDateOfBirth ? CalendarDate(wire: wire.dateOfBirth) : nil
        phone = wire.phone
        email = wire.email
        nationalID = wire.nationalID
        address = wire.hasAddress ? PostalAddress(wire: wire.address) : nil
        preferredLanguage = wire.preferredLanguage
        preferredChannel = try wire.preferredChannel.domain(field: "\(prefix).preferred_channel")
        branchID = wire.branchID
        relationshipManagerID = wire.relationshipManagerID
        occupation = wire.occupation
        annualIncome = wire.hasAnnualIncome ? Money(wire: wire.annualIncome) : nil
        assetsUnderManagement = wire.hasAssetsUnderManagement ? Money(wire: wire.assetsUnderManagement) : nil
        products = wire.products.map(ProductHolding.init(wire:))
        riskLevel = try wire.riskLevel.domain(field: "\(prefix).risk_level")
        kycStatus = try wire.kycStatus.domain(field: "\(prefix).kyc_status")
    }

    /// The wire form of this profile.
    public var wire: Rapport_V1_CustomerProfile {
        .with {
            $0.fullName = fullName
            if let dateOfBirth { $0.dateOfBirth = dateOfBirth.wire }
            $0.phone = phone
            $0.email = email
            $0.nationalID = nationalID
            if let address { $0.address = address.wire }
            $0.preferredLanguage = preferredLanguage
            $0.preferredChannel = preferredChannel.wire()
            $0.branchID = branchID
            $0.relationshipManagerID = relationshipManagerID
            $0.occupation = occupation
            if let annualIncome { $0.annualIncome = annualIncome.wire }
            if let assetsUnderManagement { $0.assetsUnderManagement = assetsUnderManagement.wire }
            $0.products = products.map(\.wire)
            $0.riskLevel = riskLevel.wire()
            $0.kycStatus = kycStatus.wire()
        }
    }

    /// Whether `wire` holds this profile exactly: the wire's dates are 32-bit, the domain's are not.
    /// (A validated profile always does; the store falls back to JSON for one that does not.)
    public var isExactOnWire: Bool {
        (dateOfBirth?.isExactOnWire ?? true)
            && products.allSatisfy { ($0.openedOn?.isExactOnWire ?? true) && ($0.closedOn?.isExactOnWire ?? true) }
    }
}

extension Segmentation {
    /// The segments of a stored `rapport.v1.Segmentation`; an unknown or unspecified tier or stage fails.
    public init(wire: Rapport_V1_Segmentation, field prefix: String = "segmentation") throws(ValidationFailure) {
        self.init(
            valueTier: try wire.valueTier.required(field: "\(prefix).value_tier"),
            valueTierReasons: wire.valueTierReasons,
            lifecycleStage: try wire.lifecycleStage.required(field: "\(prefix).lifecycle_stage"),
            lifecycleReasons: wire.lifecycleReasons)
    }

    public var wire: Rapport_V1_Segmentation {
        .with {
            $0.valueTier = valueTier.wire()
            $0.valueTierReasons = valueTierReasons
            $0.lifecycleStage = lifecycleStage.wire()
            $0.lifecycleReasons = lifecycleReasons
        }
    }
}

extension CalendarDate {
    public init(wire: Rapport_V1_Date) {
        self.init(year: Int(wire.year), month: Int(wire.month), day: Int(wire.day))
    }

    public var wire: Rapport_V1_Date {
        .with {
            $0.year = Int32(clamping: year)
            $0.month = Int32(clamping: month)
            $0.day = Int32(clamping: day)
        }
    }

    /// Whether `wire` holds this date exactly (every component fits 32 bits).
    public var isExactOnWire: Bool {
        Int32(exactly: year) != nil && Int32(exactly: month) != nil && Int32(exactly: day) != nil
    }
}

extension Money {
    public init(wire: Rapport_V1_Money) {
        self.init(minorUnits: wire.minorUnits, currencyCode: wire.currencyCode)
    }

    public var wire: Rapport_V1_Money {
        .with {
            $0.minorUnits = minorUnits
            $0.currencyCode = currencyCode
        }
    }
}

extension PostalAddress {
    public init(wire: Rapport_V1_Address) {
        self.init(line1: wire.line1, line2: wire.line2, city: wire.city, postalCode: wire.postalCode, countryCode: wire.countryCode)
    }

    public var wire: Rapport_V1_Address {
        .with {
            $0.line1 = line1
            $0.line2 = line2
            $0.city = city
            $0.postalCode = postalCode
            $0.countryCode = countryCode
        }
    }
}

extension ProductHolding {
    public init(wire: Rapport_V1_ProductHolding) {
        self.init(
            productCode: wire.productCode,
            openedOn: wire.hasOpenedOn ? CalendarDate(wire: wire.openedOn) : nil,
            closedOn: wire.hasClosedOn ? CalendarDate(wire: wire.closedOn) : nil
        )
    }

    public var wire: Rapport_V1_ProductHolding {
        .with {
            $0.productCode = productCode
            if let openedOn { $0.openedOn = openedOn.wire }
            if let closedOn { $0.closedOn = closedOn.wire }
        }
    }
}
