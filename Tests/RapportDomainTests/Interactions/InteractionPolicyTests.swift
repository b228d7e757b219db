import Foundation
import RapportDomain
import Testing

@Suite("Interactions: policy")
struct InteractionPolicyTests {
    @Test("Defaults hold the documented limits and SLA")
    func defaults() {
        let policy = InteractionPolicy.defaults
        #expect(policy.followUpSLASeconds == 86_400)
        #expect(policy.followUpSLA == 86_400)
        #expect(policy.futureSkewSeconds == 300)
        #expect(policy.futureSkew == 300)
        #expect(policy.maxSummaryLength == 2000)
        #expect(policy.maxSurveyReasonLength == 2000)
        #expect(policy.maxBatchSize == 1000)
        #expect(policy.problems.isEmpty)
    }

    @Test("A policy survives a JSON round trip under its camelCase keys")
    func roundTrip() throws {
        let custom = InteractionPolicy(followUpSLASeconds: 3600, futureSkewSeconds: 60, maxSummaryLength: 500, maxSurveyReasonLength: 400, maxBatchSize: 10)
        let data = try JSONEncoder().encode(custom)
        #expect(try JSONDecoder().decode(InteractionPolicy.self, from: data) == custom)
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys.sorted()
        #expect(keys == ["followUpSLASeconds", "futureSkewSeconds", "maxBatchSize", "maxSummaryLength", "maxSurveyReasonLength"])
    }

    @Test("Keys left out of a configuration take the defaults")
    func partialConfiguration() throws {
        let policy = try JSONDecoder().decode(InteractionPolicy.self, from: Data(#"{"followUpSLASeconds": 7200, "maxBatchSize": 50}"#.utf8))
        #expect(policy == InteractionPolicy(followUpSLASeconds: 7200, maxBatchSize: 50))
        #expect(try JSONDecoder().decode(InteractionPolicy.self, from: Data("{}".utf8)) == .defaults)
    }

    @Test("A misspelt key is refused, not silently replaced by its default")
    func unknownKey() {
        let json = Data(#"{"followUpSlaSeconds": 7200}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InteractionPolicy.self, from: json) }
        do {
            _ = try JSONDecoder().decode(InteractionPolicy.self, from: json)
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.hasPrefix("unknown key 'followUpSlaSeconds'; known keys: followUpSLASeconds,"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("Unusable policies are reported")
    func problems() {
        let broken = InteractionPolicy(followUpSLASeconds: 0, futureSkewSeconds: -1, maxSummaryLength: 0, maxSurveyReasonLength: -5, maxBatchSize: 0)
        #expect(broken.problems == [
            "followUpSLASeconds must be 1 to 31536000 (365 days)",
            "futureSkewSeconds must be 0 to 86400 (a day)",
            "maxSummaryLength must be at least 1",
            "maxSurveyReasonLength must be at least 1",
            "maxBatchSize must be at least 1",
        ])
    }

    @Test("The SLA and skew limits are inclusive", arguments: [
        (365 * 86_400, 86_400, 0), (365 * 86_400 + 1, 86_400, 1), (1, 0, 0), (86_400, 86_401, 1),
    ])
    func limits(_ sla: Int, _ skew: Int, _ problemCount: Int) {
        #expect(InteractionPolicy(followUpSLASeconds: sla, futureSkewSeconds: skew).problems.count == problemCount)
    }
}
