import Foundation
import RapportDomain
import Testing

@Suite("Segmentation policy")
struct SegmentationPolicyTests {
    @Test("Defaults hold the documented thresholds and windows")
    func defaults() {
        let policy = SegmentationPolicy.defaults
        let western = ValueThresholds(privateAssets: 1_000_000_00, privateIncome: 250_000_00, affluentAssets: 100_000_00, affluentIncome: 75_000_00)
        #expect(policy.valueThresholds["GBP"] == western)
        #expect(policy.valueThresholds["EUR"] == western)
        #expect(policy.valueThresholds["USD"] == western)
        #expect(policy.valueThresholds["CNY"] == ValueThresholds(
            privateAssets: 6_000_000_00, privateIncome: 1_500_000_00, affluentAssets: 600_000_00, affluentIncome: 450_000_00))
        #expect(policy.valueThresholds.count == 4)
        #expect(policy.acquisitionDays == 180)
        #expect(policy.growthYears == 2)
        #expect(policy.growthMaxActiveProducts == 3)
        #expect(policy.declineDropRatio == 0.5)
        #expect(policy.declineMinPreviousContacts == 4)
        #expect(policy.recentWindowDays == 90)
        #expect(policy.problems.isEmpty)
    }

    @Test("A policy survives a JSON round trip")
    func roundTrip() throws {
        let data = try JSONEncoder().encode(SegmentationPolicy.defaults)
        #expect(try JSONDecoder().decode(SegmentationPolicy.self, from: data) == .defaults)
    }

    @Test("Keys left out of a configuration take the defaults")
    func partialConfiguration() throws {
        let json = #"{"acquisitionDays": 90, "valueThresholds": {"HKD": {"privateAssets": 800000000, "privateIncome": 200000000, "affluentAssets": 80000000, "affluentIncome": 60000000}}}"#
        let policy = try JSONDecoder().decode(SegmentationPolicy.self, from: Data(json.utf8))
        #expect(policy.acquisitionDays == 90)
        #expect(policy.growthYears == 2)
        #expect(Array(policy.valueThresholds.keys) == ["HKD"])
        #expect(try JSONDecoder().decode(SegmentationPolicy.self, from: Data("{}".utf8)) == .defaults)
    }

    @Test("Inconsistent policies are reported")
    func problems() {
        var policy = SegmentationPolicy.defaults
        policy.valueThresholds["gbp"] = ValueThresholds(privateAssets: 10, privateIncome: 10, affluentAssets: 20, affluentIncome: -1)
        policy.declineDropRatio = 0
        policy.recentWindowDays = 0
        #expect(policy.problems == [
            "value threshold currency \"gbp\" is not three upper-case letters",
            "value thresholds for gbp must not be negative",
            "value thresholds for gbp: affluent thresholds must not exceed private ones",
            "declineDropRatio must be greater than 0 and at most 1",
            "recentWindowDays must be at least 1",
        ])
    }
}
