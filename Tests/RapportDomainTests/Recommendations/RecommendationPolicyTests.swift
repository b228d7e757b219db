import Foundation
import RapportDomain
import Testing

@Suite("Recommendations: policy configuration")
struct RecommendationPolicyTests {
    @Test("Keys left out take the defaults; a misspelt key is refused")
    func decoding() throws {
        let policy = try JSONDecoder().decode(RecommendationPolicy.self, from: Data(#"{"intentWeight": 3}"#.utf8))
        #expect(policy.intentWeight == 3)
        #expect(policy.coholdingWeight == RecommendationPolicy.defaults.coholdingWeight)
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(RecommendationPolicy.self, from: Data(#"{"intentWieght": 3}"#.utf8))
        }
    }

    @Test("Values that make no sense are named")
    func problems() {
        #expect(RecommendationPolicy.defaults.problems.isEmpty)
        let policy = RecommendationPolicy(coholdingWeight: -1, intentWindowDays: 0, reasonShare: 2)
        #expect(policy.problems == [
            "coholdingWeight: must be a number from 0 to 1000", "intentWindowDays: must be 1–3650", "reasonShare: must be 0–1",
        ])
    }
}
