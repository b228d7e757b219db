import Foundation
import RapportDomain

/// Made-up staff and agent ids for synthetic interactions: branch staff per branch, call-centre
/// and phone-banking agents, chat and social-media agents, supervisors for follow-ups, the
/// customer's own relationship manager; none for self-service and automated messages.
enum StaffIDs {
    static func employee(for kind: InteractionKind, channel: Channel, _ customer: ContactProfile, random: inout SeededRandom) -> String {
        let automated = kind == .marketingContact || kind == .surveyResponse
        if kind == .followUp && channel != .relationshipManager {
            return "sup-\(Int.random(in: 1...40, using: &random))"
        }
        switch channel {
        case .branch: return "br\(customer.branchID)-\(Int.random(in: 1...12, using: &random))"
        case .callCentre: return "cc-\(Int.random(in: 1...250, using: &random))"
        case .phone: return automated ? "" : "pb-\(Int.random(in: 1...60, using: &random))"
        case .relationshipManager: return customer.relationshipManagerID ?? "rm-1"
        case .chat: return "chat-\(Int.random(in: 1...80, using: &random))"
        case .social: return "social-\(Int.random(in: 1...12, using: &random))"
        case .email: return automated || kind == .offerPresented ? "" : "mail-\(Int.random(in: 1...30, using: &random))"
        case .mobileApp, .web, .sms, .atm: return ""
        }
    }
}
