import Foundation

/// Why an item was recommended, or what limited the answer: a stable code and a sentence with the evidence.
public struct RecommendationReason: Sendable, Hashable {
    /// Stable, machine-readable reason codes; also the keys acceptance is reported by.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case coholding = "COHOLDING"
        case nextStep = "NEXT_STEP"
        case segmentPopular = "SEGMENT_POPULAR"
        case recentInterest = "RECENT_INTEREST"
        case oftenAccepted = "OFTEN_ACCEPTED"
        case popular = "POPULAR"
        case businessPriority = "BUSINESS_PRIORITY"
        case decliningActivity = "DECLINING_ACTIVITY"
        case openComplaint = "OPEN_COMPLAINT"
        case openDetractor = "OPEN_DETRACTOR"
        case noMarketingConsent = "NO_MARKETING_CONSENT"
        case notPersonalised = "NOT_PERSONALISED_NO_PROFILING_CONSENT"
    }

    public var code: Code
    /// For staff, e.g. "held by 41% of customers who hold a Platinum card".
    public var sentence: String

    public init(_ code: Code, _ sentence: String) {
        self.code = code
        self.sentence = sentence
    }
}

/// What a recommendation asks the caller to do.
public enum RecommendationKind: String, Sendable, Hashable, CaseIterable {
    /// A product of a category the customer does not hold yet.
    case crossSell
    /// A product of a category the customer already holds.
    case upSell
    /// Keep a customer whose activity is falling.
    case retention
    /// Serve first: follow up a complaint or a detractor response.
    case service
}

/// An action to take instead of selling.
public enum RecommendedAction: String, Sendable, Hashable, CaseIterable {
    case retentionReview = "RETENTION_REVIEW"
    case complaintFollowUp = "COMPLAINT_FOLLOW_UP"
    case detractorFollowUp = "DETRACTOR_FOLLOW_UP"

    /// The action in words; a retention review names what put the customer in decline, read from
    /// the first of `reasons` (the lifecycle reasons it was recommended for).
    public func title(reasons: [RecommendationReason]) -> String {
        switch self {
        case .retentionReview:
            switch reasons.first.flatMap({ DeclineCause(reason: $0.sentence) }) {
            case .productsClosed: "Review the relationship: every product is closed"
            case .contactsFell: "Review the relationship: activity is falling"
            case .closedAfterComplaint: "Review the relationship: a product was closed after a complaint"
            case nil: "Review the relationship: the customer is in decline"
            }
        case .complaintFollowUp: "Follow up the open complaint"
        case .detractorFollowUp: "Follow up the detractor survey response"
        }
    }
}

/// One thing to offer or do, with its score and reasons.
public struct RecommendedItem: Sendable, Hashable {
    /// A product of the catalog, or an action.
    public enum Target: Sendable, Hashable {
        case product(Product)
        case action(RecommendedAction, followUp: FollowUpItem?)
    }

    public var target: Target
    public var kind: RecommendationKind
    /// Higher is better; comparable within one answer only.
    public var score: Double
    /// Strongest first; never empty.
    public var reasons: [RecommendationReason]

    public init(target: Target, kind: RecommendationKind, score: Double, reasons: [RecommendationReason]) {
        self.target = target
        self.kind = kind
        self.score = score
        self.reasons = reasons
    }

    /// The product's name, or the action in words.
    public var title: String {
        switch target {
        case .product(let product): product.name
        case .action(let action, _): action.title(reasons: reasons)
        }
    }

    /// The product's code, or nil for an action.
    public var productCode: String? {
        if case .product(let product) = target { return product.code }
        return nil
    }
}

/// The answer to "what should we offer or do for this customer now".
public struct RecommendationList: Sendable, Hashable {
    /// Best first: service actions, then retention, then products.
    public var items: [RecommendedItem]
    /// False when profiling may not be used: products ranked by eligibility and popularity only.
    public var personalised: Bool
    /// What limited the answer; empty when nothing did.
    public var notices: [RecommendationReason]

    public init(items: [RecommendedItem], personalised: Bool, notices: [RecommendationReason]) {
        self.items = items
        self.personalised = personalised
        self.notices = notices
    }
}

/// What a caller asks for.
public struct RecommendationQuery: Sendable, Hashable {
    /// Where the customer is being served; decides which marketing consent applies.
    public var channel: Channel
    /// 1–50.
    public var maxResults: Int
    /// Only products of this category; nil for every category.
    public var category: ProductCategory?
    /// The UTC day to answer for.
    public var asOf: CalendarDate

    public init(channel: Channel, maxResults: Int, category: ProductCategory? = nil, asOf: CalendarDate) {
        self.channel = channel
        self.maxResults = maxResults
        self.category = category
        self.asOf = asOf
    }

    /// The allowed range of `maxResults`.
    public static let maxResultsRange = 1...50
}
