import Foundation
import RapportProto
import SwiftProtobuf

/// Interactions for the interaction tests: a valid one of each kind, adjusted per test.
enum InteractionFixtures {
    /// A product code the offer kinds need.
    static let product = "MORTGAGE_FIXED_5Y"

    /// A valid interaction of `kind`, with the details that kind requires (survey, complaint, product).
    static func interaction(
        _ customerID: String, _ kind: Rapport_V1_InteractionKind = .inquiry, channel: Rapport_V1_Channel = .branch,
        at occurredAt: Date, summary: String = "asked about savings rates"
    ) -> Rapport_V1_Interaction {
        .with {
            $0.customerID = customerID
            $0.kind = kind
            $0.channel = channel
            $0.occurredAt = timestamp(occurredAt)
            $0.employeeID = "staff-17"
            $0.summary = summary
            switch kind {
            case .surveyResponse:
                $0.survey = .with {
                    $0.npsScore = 9
                    $0.reason = "quick and friendly"
                }
            case .complaint:
                $0.complaint = .with {
                    $0.category = .feesAndCharges
                    $0.severity = .medium
                }
            case .offerPresented, .offerAccepted, .offerDeclined:
                $0.productCode = product
            default:
                break
            }
        }
    }

    /// A survey response with `score`.
    static func survey(_ customerID: String, score: Int32, channel: Rapport_V1_Channel = .web, at occurredAt: Date)
        -> Rapport_V1_Interaction
    {
        var survey = interaction(customerID, .surveyResponse, channel: channel, at: occurredAt)
        survey.survey.npsScore = score
        return survey
    }

    /// A follow-up answering interaction `id`.
    static func followUp(_ customerID: String, of id: String, at occurredAt: Date) -> Rapport_V1_Interaction {
        var followUp = interaction(customerID, .followUp, channel: .phone, at: occurredAt, summary: "called back, refunded the fee")
        followUp.followUpOf = id
        return followUp
    }

    static func request(_ interaction: Rapport_V1_Interaction, requestID: String = "") -> Rapport_V1_LogInteractionRequest {
        .with {
            $0.requestID = requestID
            $0.interaction = interaction
        }
    }

    static func batch(_ interactions: [Rapport_V1_Interaction]) -> Rapport_V1_LogInteractionsRequest {
        .with { $0.items = interactions.map { request($0) } }
    }

    /// The daemon keeps instants to the millisecond; the dates tests use are whole milliseconds.
    static func timestamp(_ date: Date) -> Google_Protobuf_Timestamp {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        return Google_Protobuf_Timestamp(seconds: seconds, nanos: Int32(millis - seconds * 1000) * 1_000_000)
    }
}
