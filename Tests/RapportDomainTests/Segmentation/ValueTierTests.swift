import Foundation
import RapportDomain
import Testing

@Suite("Segmentation: value tiers")
struct ValueTierTests {
    let segmenter = Segmenter(policy: .defaults)

    private func tier(assets: Money?, income: Money?) -> (ValueTier, [String]) {
        var profile = CustomerProfile()
        profile.assetsUnderManagement = assets
        profile.annualIncome = income
        let result = segmenter.segment(profile, customerSince: instant(today), activity: nil, today: today)
        return (result.valueTier, result.valueTierReasons)
    }

    @Test("Each threshold counts when reached exactly", arguments: [
        // GBP, EUR and USD share thresholds.
        (Money(minorUnits: 1_000_000_00, currencyCode: "GBP"), nil, ValueTier.privateBanking),
        (Money(minorUnits: 999_999_99, currencyCode: "GBP"), nil, .affluent),
        (Money(minorUnits: 100_000_00, currencyCode: "EUR"), nil, .affluent),
        (Money(minorUnits: 99_999_99, currencyCode: "EUR"), nil, .mass),
        (nil, Money(minorUnits: 250_000_00, currencyCode: "USD"), .privateBanking),
        (nil, Money(minorUnits: 249_999_99, currencyCode: "USD"), .affluent),
        (nil, Money(minorUnits: 75_000_00, currencyCode: "GBP"), .affluent),
        (nil, Money(minorUnits: 74_999_99, currencyCode: "GBP"), .mass),
        // CNY has its own.
        (Money(minorUnits: 6_000_000_00, currencyCode: "CNY"), nil, .privateBanking),
        (Money(minorUnits: 5_999_999_99, currencyCode: "CNY"), nil, .affluent),
        (Money(minorUnits: 600_000_00, currencyCode: "CNY"), nil, .affluent),
        (Money(minorUnits: 599_999_99, currencyCode: "CNY"), nil, .mass),
        (nil, Money(minorUnits: 1_500_000_00, currencyCode: "CNY"), .privateBanking),
        (nil, Money(minorUnits: 1_499_999_99, currencyCode: "CNY"), .affluent),
        (nil, Money(minorUnits: 450_000_00, currencyCode: "CNY"), .affluent),
        (nil, Money(minorUnits: 449_999_99, currencyCode: "CNY"), .mass),
    ] as [(Money?, Money?, ValueTier)])
    func boundaries(_ assets: Money?, _ income: Money?, _ expected: ValueTier) {
        #expect(tier(assets: assets, income: income).0 == expected)
    }

    @Test("Either measure is enough; the higher tier wins")
    func eitherMeasure() {
        #expect(tier(assets: gbp(10_00), income: gbp(300_000_00)).0 == .privateBanking)
        #expect(tier(assets: gbp(2_000_000_00), income: gbp(0)).0 == .privateBanking)
        #expect(tier(assets: gbp(150_000_00), income: gbp(20_000_00)).0 == .affluent)
    }

    @Test("Private reasons name the amount and the threshold")
    func privateReason() {
        let (tier, reasons) = tier(assets: gbp(1_250_000_00), income: gbp(50_000_00))
        #expect(tier == .privateBanking)
        #expect(reasons == ["assets under management GBP 1,250,000.00 ≥ private threshold GBP 1,000,000.00"])
    }

    @Test("Affluent reasons say what reached affluent and why not private")
    func affluentReasons() {
        let (tier, reasons) = tier(assets: gbp(120_000_00), income: gbp(80_000_00))
        #expect(tier == .affluent)
        #expect(reasons == [
            "assets under management GBP 120,000.00 ≥ affluent threshold GBP 100,000.00",
            "annual income GBP 80,000.00 ≥ affluent threshold GBP 75,000.00",
            "assets under management GBP 120,000.00 < private threshold GBP 1,000,000.00",
            "annual income GBP 80,000.00 < private threshold GBP 250,000.00",
        ])
    }

    @Test("Mass reasons say how far below affluent each measure is")
    func massReasons() {
        let (tier, reasons) = tier(assets: gbp(5_000_00), income: gbp(30_000_00))
        #expect(tier == .mass)
        #expect(reasons == [
            "assets under management GBP 5,000.00 < affluent threshold GBP 100,000.00",
            "annual income GBP 30,000.00 < affluent threshold GBP 75,000.00",
        ])
    }

    @Test("No money on record is mass")
    func nothingKnown() {
        let (tier, reasons) = tier(assets: nil, income: nil)
        #expect(tier == .mass)
        #expect(reasons == ["no assets or income on record"])
    }

    @Test("Money in a currency without thresholds does not count, and the reasons say so")
    func unknownCurrency() {
        let yen = Money(minorUnits: 900_000_000, currencyCode: "JPY")
        let (alone, aloneReasons) = tier(assets: yen, income: nil)
        #expect(alone == .mass)
        #expect(aloneReasons == ["assets under management JPY 900,000,000 not counted: no value thresholds for JPY"])

        let (mixed, mixedReasons) = tier(assets: yen, income: gbp(80_000_00))
        #expect(mixed == .affluent)
        #expect(mixedReasons.first == "annual income GBP 80,000.00 ≥ affluent threshold GBP 75,000.00")
        #expect(mixedReasons.last == "assets under management JPY 900,000,000 not counted: no value thresholds for JPY")
    }

    @Test("Each measure is compared in its own currency")
    func ownCurrency() {
        let (tier, reasons) = tier(
            assets: Money(minorUnits: 700_000_00, currencyCode: "CNY"),
            income: Money(minorUnits: 70_000_00, currencyCode: "USD"))
        #expect(tier == .affluent)
        #expect(reasons.first == "assets under management CNY 700,000.00 ≥ affluent threshold CNY 600,000.00")
        #expect(reasons.contains("annual income USD 70,000.00 < private threshold USD 250,000.00"))
    }

    @Test("Thresholds come from the policy")
    func customPolicy() {
        let policy = SegmentationPolicy(valueThresholds: [
            "JPY": ValueThresholds(privateAssets: 100_000_000, privateIncome: 30_000_000, affluentAssets: 10_000_000, affluentIncome: 10_000_000),
        ])
        var profile = CustomerProfile()
        profile.assetsUnderManagement = Money(minorUnits: 100_000_000, currencyCode: "JPY")
        let result = Segmenter(policy: policy).segment(profile, customerSince: instant(today), activity: nil, today: today)
        #expect(result.valueTier == .privateBanking)
        #expect(result.valueTierReasons == ["assets under management JPY 100,000,000 ≥ private threshold JPY 100,000,000"])
    }
}
