import Foundation

/// A channel consent can be given for.
public enum ConsentChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case sms, email, phone, appPush, post
}

/// What the customer's data or contact may be used for.
public enum ConsentPurpose: String, Sendable, Hashable, Codable, CaseIterable {
    case marketing, service, profiling
}

/// Where a consent decision was captured.
public enum ConsentSource: String, Sendable, Hashable, Codable, CaseIterable {
    case channel, branch, system
}

/// One decision: consent given or withdrawn for a channel and purpose, with when, where and by whom.
public struct ConsentDecision: Sendable, Hashable, Codable {
    public var channel: ConsentChannel
    public var purpose: ConsentPurpose
    public var granted: Bool
    public var decidedAt: Date
    public var source: ConsentSource
    /// The channel, branch id or system name the source refers to.
    public var sourceDetail: String
    /// The staff member or system user who recorded it.
    public var recordedBy: String
    /// The staff member the recording principal acted for, when it named one (a service account
    /// recording for a person); nil otherwise.
    public var actingFor: String?

    public init(
        channel: ConsentChannel, purpose: ConsentPurpose, granted: Bool, decidedAt: Date,
        source: ConsentSource, sourceDetail: String, recordedBy: String, actingFor: String? = nil
    ) {
        self.actingFor = actingFor
        self.channel = channel
        self.purpose = purpose
        self.granted = granted
        self.decidedAt = decidedAt
        self.source = source
        self.sourceDetail = sourceDetail
        self.recordedBy = recordedBy
    }
}
