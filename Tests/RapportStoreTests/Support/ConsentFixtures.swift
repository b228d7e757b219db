import Foundation
import RapportDomain

/// Consent decisions for tests, at whole milliseconds so they round-trip exactly.
enum ConsentFixtures {
    static func marketingEmail(granted: Bool, at seconds: TimeInterval = 1_700_000_000) -> ConsentDecision {
        ConsentDecision(
            channel: .email, purpose: .marketing, granted: granted,
            decidedAt: Date(timeIntervalSince1970: seconds), source: .branch, sourceDetail: "BR001",
            recordedBy: "staff-42")
    }
}
