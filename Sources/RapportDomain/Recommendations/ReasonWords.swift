import Foundation

/// The words reasons are written with: percentages, days, channels, tiers and cohorts.
enum ReasonWords {
    /// "41%"; "under 1%" for a share that rounds to 0 but is not 0.
    static func percent(_ share: Double) -> String {
        let rounded = Int((share * 100).rounded())
        return rounded == 0 && share > 0 ? "under 1%" : "\(rounded)%"
    }

    /// "2 Nov 2026".
    static func day(_ day: CalendarDate) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = (1...12).contains(day.month) ? months[day.month - 1] : "\(day.month)"
        return "\(day.day) \(month) \(day.year)"
    }

    /// Where a contact happened, as a phrase: "at a branch", "in the mobile app".
    static func channel(_ channel: Channel) -> String {
        switch channel {
        case .branch: "at a branch"
        case .phone: "by phone"
        case .callCentre: "through the call centre"
        case .email: "by email"
        case .sms: "by SMS"
        case .mobileApp: "in the mobile app"
        case .web: "in online banking"
        case .chat: "in chat"
        case .social: "on social media"
        case .atm: "at an ATM"
        case .relationshipManager: "with their relationship manager"
        }
    }

    /// "affluent customers born 1985–1989".
    static func cell(_ cell: SegmentCell) -> String {
        let tier = switch cell.valueTier {
        case .mass: "mass-market"
        case .affluent: "affluent"
        case .privateBanking: "private-banking"
        }
        guard let cohort = cell.birthCohort else { return "\(tier) customers of unknown age" }
        return "\(tier) customers born \(cohort)–\(cohort + 4)"
    }

    /// What a complaint is about, in words: "fees and charges".
    static func complaint(_ category: ComplaintCategory?) -> String {
        switch category {
        case .feesAndCharges: "fees and charges"
        case .serviceQuality: "service quality"
        case .product: "a product"
        case .staffConduct: "staff conduct"
        case .digitalChannels: "digital channels"
        case .fraudAndSecurity: "fraud and security"
        case .waitingTime: "waiting time"
        case .other, nil: "another matter"
        }
    }
}
