import Foundation

/// Computes a customer's value tier and lifecycle stage, with the reasons staff see; pure and deterministic.
public struct Segmenter: Sendable {
    public let policy: SegmentationPolicy

    public init(policy: SegmentationPolicy) {
        self.policy = policy
    }

    /// Segments `profile` as of `today`.
    /// - Parameters:
    ///   - customerSince: when the customer record was created; tenure falls back to it when no
    ///     product has an opening date.
    ///   - activity: contact counts from the interaction log, or nil when unknown (then only
    ///     product closures can signal decline).
    ///   - today: the current UTC date, passed in so that segmentation never reads a clock.
    public func segment(
        _ profile: CustomerProfile, customerSince: Date, activity: ActivitySummary?, today: CalendarDate
    ) -> Segmentation {
        let (tier, tierReasons) = ValueTierClassifier(thresholds: policy.valueThresholds).classify(profile)
        let (stage, stageReasons) = LifecycleClassifier(policy: policy)
            .classify(profile, customerSince: customerSince, activity: activity, today: today)
        return Segmentation(valueTier: tier, valueTierReasons: tierReasons, lifecycleStage: stage, lifecycleReasons: stageReasons)
    }
}
