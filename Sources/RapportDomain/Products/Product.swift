import Foundation

/// What kind of product it is; the cases follow `rapport.v1.ProductCategory`'s value order.
public enum ProductCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case deposit, currentAccount, card, personalLoan, mortgage, wealth, insurance, pension, payroll
}

/// Who may be offered a product. Nil and empty values do not restrict.
public struct EligibilityRules: Sendable, Hashable, Codable {
    /// Youngest age in completed years.
    public var minAge: Int?
    /// Oldest age in completed years.
    public var maxAge: Int?
    /// Compared with the customer's annual income in the same currency (there is no FX conversion).
    public var minAnnualIncome: Money?
    /// Compared with the customer's assets under management in the same currency.
    public var minAssets: Money?
    /// Tiers that may be offered the product; empty means every tier.
    public var allowedValueTiers: [ValueTier]
    /// The KYC status the customer must have.
    public var requiredKYCStatus: KYCStatus?
    /// An investment product's risk rating: the customer's risk level must be at least this.
    public var riskRating: RiskLevel?

    public init(
        minAge: Int? = nil, maxAge: Int? = nil, minAnnualIncome: Money? = nil, minAssets: Money? = nil,
        allowedValueTiers: [ValueTier] = [], requiredKYCStatus: KYCStatus? = nil, riskRating: RiskLevel? = nil
    ) {
        self.minAge = minAge
        self.maxAge = maxAge
        self.minAnnualIncome = minAnnualIncome
        self.minAssets = minAssets
        self.allowedValueTiers = allowedValueTiers
        self.requiredKYCStatus = requiredKYCStatus
        self.riskRating = riskRating
    }
}

/// A product of the catalog: what callers define, plus the version the store keeps.
public struct Product: Sendable, Hashable, Codable {
    /// Caller-chosen key, the same format as customers' product holdings use.
    public var code: String
    public var name: String
    /// What the product is, its rates, terms, fees and risks, in plain words.
    public var description: String
    public var category: ProductCategory
    public var eligibility: EligibilityRules
    /// Days not to offer the product again after a customer declined it.
    public var declineCooldownDays: Int
    /// How much the bank wants to sell it, 0–100.
    public var businessWeight: Int
    /// False once retired.
    public var active: Bool
    public var createdAt: Date
    /// When this revision was written.
    public var updatedAt: Date
    /// Set while the product is retired.
    public var retiredAt: Date?
    /// Changes on every write.
    public var etag: String
    /// 1 for the first version, one more for every change.
    public var revision: Int

    /// A product as a caller defines it; the store fills in the version fields when it writes it.
    public init(
        code: String, name: String, description: String = "", category: ProductCategory,
        eligibility: EligibilityRules = EligibilityRules(), declineCooldownDays: Int = 0, businessWeight: Int = 0,
        active: Bool = true, createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0), retiredAt: Date? = nil, etag: String = "", revision: Int = 0
    ) {
        self.code = code
        self.name = name
        self.description = description
        self.category = category
        self.eligibility = eligibility
        self.declineCooldownDays = declineCooldownDays
        self.businessWeight = businessWeight
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.retiredAt = retiredAt
        self.etag = etag
        self.revision = revision
    }

    /// Whether `other` defines the same product (everything a caller writes); version fields aside.
    public func hasSameDefinition(as other: Product) -> Bool {
        code == other.code && name == other.name && description == other.description && category == other.category
            && eligibility == other.eligibility && declineCooldownDays == other.declineCooldownDays
            && businessWeight == other.businessWeight
    }
}
