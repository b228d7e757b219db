/// The thresholds and windows that decide value tiers and lifecycle stages; loaded from configuration.
public struct SegmentationPolicy: Sendable, Codable, Hashable {
    /// Value thresholds per ISO 4217 currency code. Money in a currency without an entry never
    /// reaches a tier: converting currencies needs rates, which pure domain logic does not have.
    public var valueThresholds: [String: ValueThresholds]
    /// Tenure (days) below which a customer is being acquired.
    public var acquisitionDays: Int
    /// Tenure (full years) below which a customer is still growing.
    public var growthYears: Int
    /// Active products below which a customer is still growing, whatever the tenure.
    public var growthMaxActiveProducts: Int
    /// Fall in contacts, last window against the one before (0.5 = halved), that signals decline.
    public var declineDropRatio: Double
    /// Contacts in the previous window needed before a fall counts: 2 → 0 is noise, not decline.
    public var declineMinPreviousContacts: Int
    /// How recent (days) a product closure must be to count, together with a complaint, as decline.
    public var recentWindowDays: Int

    public init(
        valueThresholds: [String: ValueThresholds],
        acquisitionDays: Int = 180,
        growthYears: Int = 2,
        growthMaxActiveProducts: Int = 3,
        declineDropRatio: Double = 0.5,
        declineMinPreviousContacts: Int = 4,
        recentWindowDays: Int = 90
    ) {
        self.valueThresholds = valueThresholds
        self.acquisitionDays = acquisitionDays
        self.growthYears = growthYears
        self.growthMaxActiveProducts = growthMaxActiveProducts
        self.declineDropRatio = declineDropRatio
        self.declineMinPreviousContacts = declineMinPreviousContacts
        self.recentWindowDays = recentWindowDays
    }

    /// Typical retail-bank thresholds: GBP, EUR and USD alike (private: assets ≥ 1,000,000.00 or
    /// income ≥ 250,000.00; affluent: assets ≥ 100,000.00 or income ≥ 75,000.00) and CNY
    /// (private: 6,000,000.00 / 1,500,000.00; affluent: 600,000.00 / 450,000.00).
    public static let defaults: SegmentationPolicy = {
        let western = ValueThresholds(
            privateAssets: 1_000_000_00, privateIncome: 250_000_00,
            affluentAssets: 100_000_00, affluentIncome: 75_000_00)
        let yuan = ValueThresholds(
            privateAssets: 6_000_000_00, privateIncome: 1_500_000_00,
            affluentAssets: 600_000_00, affluentIncome: 450_000_00)
        return SegmentationPolicy(valueThresholds: ["GBP": western, "EUR": western, "USD": western, "CNY": yuan])
    }()

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case valueThresholds, acquisitionDays, growthYears, growthMaxActiveProducts
        case declineDropRatio, declineMinPreviousContacts, recentWindowDays
    }

    /// Decodes a policy in which any key may be left out; missing keys take the defaults, so a
    /// configuration file only states what it changes. Unknown keys are refused (`StrictKeys`).
    public init(from decoder: any Decoder) throws {
        let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        let base = Self.defaults
        valueThresholds = try container.decodeIfPresent([String: ValueThresholds].self, forKey: .valueThresholds) ?? base.valueThresholds
        acquisitionDays = try container.decodeIfPresent(Int.self, forKey: .acquisitionDays) ?? base.acquisitionDays
        growthYears = try container.decodeIfPresent(Int.self, forKey: .growthYears) ?? base.growthYears
        growthMaxActiveProducts = try container.decodeIfPresent(Int.self, forKey: .growthMaxActiveProducts) ?? base.growthMaxActiveProducts
        declineDropRatio = try container.decodeIfPresent(Double.self, forKey: .declineDropRatio) ?? base.declineDropRatio
        declineMinPreviousContacts = try container.decodeIfPresent(Int.self, forKey: .declineMinPreviousContacts) ?? base.declineMinPreviousContacts
        recentWindowDays = try container.decodeIfPresent(Int.self, forKey: .recentWindowDays) ?? base.recentWindowDays
    }
}
