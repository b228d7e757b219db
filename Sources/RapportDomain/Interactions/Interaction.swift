import Foundation

/// What happened in a contact with a customer.
public enum InteractionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case inquiry, transaction, serviceRequest, complaint, followUp, surveyResponse
    case offerPresented, offerAccepted, offerDeclined, marketingContact, note
    /// Shown and neither taken nor refused. Last, not beside the other offer kinds: the wire maps
    /// kinds by position (`WireMappedEnum`), so a case in the middle would renumber
    /// marketingContact and note; the proto adds INTERACTION_KIND_OFFER_IGNORED as value 12.
    case offerIgnored
}

/// The subject of a complaint.
public enum ComplaintCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case feesAndCharges, serviceQuality, product, staffConduct, digitalChannels, fraudAndSecurity, waitingTime, other
}

/// How serious a complaint is.
public enum ComplaintSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case low, medium, high, critical
}

/// A complaint's category and severity.
public struct ComplaintDetails: Sendable, Hashable, Codable {
    public var category: ComplaintCategory
    public var severity: ComplaintSeverity

    public init(category: ComplaintCategory, severity: ComplaintSeverity) {
        self.category = category
        self.severity = severity
    }
}

/// A customer's answer to the NPS question (0–10) and the reason they gave.
public struct SurveyResponse: Sendable, Hashable, Codable {
    public var npsScore: Int
    public var reason: String

    public init(npsScore: Int, reason: String) {
        self.npsScore = npsScore
        self.reason = reason
    }

    /// The NPS category of the score; nil for a score outside 0–10 (which validation refuses).
    public var category: NpsCategory? { NpsCategory(score: npsScore) }
}

/// Promoter (9–10), passive (7–8) or detractor (0–6).
public enum NpsCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case detractor, passive, promoter

    /// The category of a 0–10 score; nil outside that range.
    public init?(score: Int) {
        switch score {
        case 0...6: self = .detractor
        case 7...8: self = .passive
        case 9...10: self = .promoter
        default: return nil
        }
    }
}

/// Why an interaction waits in the closed-loop follow-up queue.
public enum FollowUpReason: String, Sendable, Hashable, Codable, CaseIterable {
    case detractor, complaint
}

/// One contact with a customer, as the log keeps it.
public struct Interaction: Sendable, Hashable, Codable {
    /// Assigned by the store; ids sort in recording order.
    public var id: String
    public var customerID: String
    public var channel: Channel
    public var kind: InteractionKind
    /// When it happened (client-supplied, validated).
    public var occurredAt: Date
    /// When the daemon recorded it.
    public var recordedAt: Date
    /// The employee or agent who handled it; empty for self-service.
    public var employeeID: String
    /// The product concerned; empty when none.
    public var productCode: String
    public var summary: String
    /// Set for survey responses only.
    public var survey: SurveyResponse?
    /// Set for complaints only.
    public var complaint: ComplaintDetails?
    /// For follow-ups only: the id of the interaction (of the same customer) it answers.
    public var followUpOf: String?

    public init(
        id: String, customerID: String, channel: Channel, kind: InteractionKind, occurredAt: Date,
        recordedAt: Date, employeeID: String = "", productCode: String = "", summary: String = "",
        survey: SurveyResponse? = nil, complaint: ComplaintDetails? = nil, followUpOf: String? = nil
    ) {
        self.id = id
        self.customerID = customerID
        self.channel = channel
        self.kind = kind
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.employeeID = employeeID
        self.productCode = productCode
        self.summary = summary
        self.survey = survey
        self.complaint = complaint
        self.followUpOf = followUpOf
    }

    /// Why this interaction opens an item in the follow-up queue, or nil when it does not:
    /// every complaint, and every survey response from a detractor.
    public var followUpReason: FollowUpReason? {
        switch kind {
        case .complaint: .complaint
        case .surveyResponse where survey?.category == .detractor: .detractor
        default: nil
        }
    }

    /// Whether this is a marketing touch that needs the customer's marketing consent.
    public var isMarketing: Bool {
        kind == .marketingContact || kind == .offerPresented
    }
}

extension Interaction {
    /// Whether this counts as customer activity for the lifecycle trend: everything the customer
    /// took part in. Notes (internal), marketing contacts and offer presentations (the bank
    /// speaking, not the customer acting) do not count, nor ignored offers (the customer did nothing).
    public var countsAsActivity: Bool {
        switch kind {
        case .note, .marketingContact, .offerPresented, .offerIgnored: false
        default: true
        }
    }
}
