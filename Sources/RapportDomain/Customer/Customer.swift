import Foundation

/// Value segment, from assets under management and annual income.
public enum ValueTier: String, Sendable, Hashable, Codable, CaseIterable {
    case mass, affluent, privateBanking
}

/// Where the customer is in the relationship.
public enum LifecycleStage: String, Sendable, Hashable, Codable, CaseIterable {
    case acquisition, growth, maturity, decline
}

/// Segments the daemon computed, each with the reasons that decided it, in words staff can read.
public struct Segmentation: Sendable, Hashable, Codable {
    public var valueTier: ValueTier
    public var valueTierReasons: [String]
    public var lifecycleStage: LifecycleStage
    public var lifecycleReasons: [String]

    public init(valueTier: ValueTier, valueTierReasons: [String], lifecycleStage: LifecycleStage, lifecycleReasons: [String]) {
        self.valueTier = valueTier
        self.valueTierReasons = valueTierReasons
        self.lifecycleStage = lifecycleStage
        self.lifecycleReasons = lifecycleReasons
    }
}

/// A stored customer: identity, profile, computed segments and version.
public struct Customer: Sendable, Hashable, Codable {
    /// Assigned by the daemon; opaque.
    public var id: String
    /// The core-banking customer number; unique when set.
    public var externalRef: String?
    public var profile: CustomerProfile
    public var segmentation: Segmentation
    public var createdAt: Date
    public var updatedAt: Date
    /// Changes on every write.
    public var etag: String

    public init(
        id: String, externalRef: String?, profile: CustomerProfile, segmentation: Segmentation,
        createdAt: Date, updatedAt: Date, etag: String
    ) {
        self.id = id
        self.externalRef = externalRef
        self.profile = profile
        self.segmentation = segmentation
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.etag = etag
    }
}
