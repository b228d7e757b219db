import Foundation

/// The limits and the follow-up SLA of the interaction log; loaded from the "interactions" configuration.
public struct InteractionPolicy: Sendable, Codable, Hashable {
    /// How long after a detractor response or complaint its follow-up is due (the closed-loop SLA).
    public var followUpSLASeconds: Int
    /// How far after the daemon's clock `occurred_at` may lie, for callers whose clocks run ahead.
    public var futureSkewSeconds: Int
    /// The longest summary, in characters (grapheme clusters, not bytes).
    public var maxSummaryLength: Int
    /// The longest survey reason, in characters.
    public var maxSurveyReasonLength: Int
    /// The most interactions one LogInteractions call may carry.
    public var maxBatchSize: Int

    public init(
        followUpSLASeconds: Int = 86_400,
        futureSkewSeconds: Int = 300,
        maxSummaryLength: Int = 2000,
        maxSurveyReasonLength: Int = 2000,
        maxBatchSize: Int = 1000
    ) {
        self.followUpSLASeconds = followUpSLASeconds
        self.futureSkewSeconds = futureSkewSeconds
        self.maxSummaryLength = maxSummaryLength
        self.maxSurveyReasonLength = maxSurveyReasonLength
        self.maxBatchSize = maxBatchSize
    }

    /// A follow-up within 24 hours, 5 minutes of clock skew, 2,000-character texts, batches of 1,000.
    public static let defaults = InteractionPolicy()

    /// The follow-up SLA as a time interval.
    public var followUpSLA: TimeInterval { TimeInterval(followUpSLASeconds) }

    /// The allowed clock skew as a time interval.
    public var futureSkew: TimeInterval { TimeInterval(futureSkewSeconds) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case followUpSLASeconds, futureSkewSeconds, maxSummaryLength, maxSurveyReasonLength, maxBatchSize
    }

    /// Decodes a policy in which any key may be left out (it takes the default), so a
    /// configuration file only states what it changes. Unknown keys are refused: a misspelt
    /// key would otherwise fall back to the default without anyone noticing.
    public init(from decoder: any Decoder) throws {
        let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        let base = Self.defaults
        followUpSLASeconds = try container.decodeIfPresent(Int.self, forKey: .followUpSLASeconds) ?? base.followUpSLASeconds
        futureSkewSeconds = try container.decodeIfPresent(Int.self, forKey: .futureSkewSeconds) ?? base.futureSkewSeconds
        maxSummaryLength = try container.decodeIfPresent(Int.self, forKey: .maxSummaryLength) ?? base.maxSummaryLength
        maxSurveyReasonLength = try container.decodeIfPresent(Int.self, forKey: .maxSurveyReasonLength) ?? base.maxSurveyReasonLength
        maxBatchSize = try container.decodeIfPresent(Int.self, forKey: .maxBatchSize) ?? base.maxBatchSize
    }
}
