import Foundation

/// Where a contact happens.
public enum Channel: String, Sendable, Hashable, Codable, CaseIterable {
    case branch, phone, email, sms, mobileApp, web, chat, social, atm, relationshipManager, callCentre
}

/// The customer's assessed risk appetite, from most to least cautious.
public enum RiskLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case conservative, moderatelyConservative, moderate, moderatelyAggressive, aggressive
}

/// Know-your-customer verification state.
public enum KYCStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, verified, rejected, expired
}

/// A postal address.
public struct PostalAddress: Sendable, Hashable, Codable {
    public var line1: String
    public var line2: String
    public var city: String
    public var postalCode: String
    /// ISO 3166-1 alpha-2.
    public var countryCode: String

    public init(line1: String = "", line2: String = "", city: String = "", postalCode: String = "", countryCode: String = "") {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.postalCode = postalCode
        self.countryCode = countryCode
    }
}

/// A product the customer holds or held.
public struct ProductHolding: Sendable, Hashable, Codable {
    public var productCode: String
    public var openedOn: CalendarDate?
    /// Nil while the product is held.
    public var closedOn: CalendarDate?

    public init(productCode: String, openedOn: CalendarDate? = nil, closedOn: CalendarDate? = nil) {
        self.productCode = productCode
        self.openedOn = openedOn
        self.closedOn = closedOn
    }
}

/// What callers write about a customer. Empty strings and nil mean "not known".
public struct CustomerProfile: Sendable, Hashable, Codable {
    public var fullName: String = ""
    public var dateOfBirth: CalendarDate?
    /// E.164.
    public var phone: String = ""
    public var email: String = ""
    public var nationalID: String = ""
    public var address: PostalAddress?
    /// BCP 47.
    public var preferredLanguage: String = ""
    public var preferredChannel: Channel?
    public var branchID: String = ""
    public var relationshipManagerID: String = ""
    public var occupation: String = ""
    public var annualIncome: Money?
    public var assetsUnderManagement: Money?
    public var products: [ProductHolding] = []
    public var riskLevel: RiskLevel?
    public var kycStatus: KYCStatus?

    public init() {}
}
