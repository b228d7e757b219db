import Foundation
import RapportDomain

/// Short summaries and survey reasons for synthetic interactions: what staff would jot down,
/// never anything about a real person.
enum InteractionTexts {
    /// The summary of a contact of `kind` on `channel` concerning `product` ("" for none);
    /// complaints and follow-ups have their own.
    static func summary(_ kind: InteractionKind, channel: Channel, product: String, random: inout SeededRandom) -> String {
        let name = product.lowercased().replacingOccurrences(of: "_", with: " ")
        switch kind {
        case .transaction where channel == .atm: return random.pick(atmTransactions)
        case .transaction where product == "CREDIT_CARD": return random.pick(cardTransactions)
        case .transaction where product == "SAVINGS_ACCOUNT" || product == "CASH_ISA": return random.pick(savingsTransactions)
        case .transaction: return random.pick(transactions)
        case .inquiry where !product.isEmpty: return random.pick(["Question about the ", "Rates and terms of the "]) + name
        case .inquiry: return random.pick(inquiries)
        case .serviceRequest where !product.isEmpty: return random.pick(["Change requested on the ", "Statement requested for the "]) + name
        case .serviceRequest: return random.pick(serviceRequests)
        case .surveyResponse: return "Post-contact NPS survey"
        case .offerPresented: return random.pick(["Offer presented: ", "Pre-approved offer shown: ", "Suggested in review: "]) + name
        case .offerAccepted: return random.pick(["Offer accepted: ", "Application started: "]) + name
        case .offerDeclined: return random.pick(["Offer declined, not needed now: ", "Offer declined, rate not competitive: "]) + name
        case .offerIgnored: return "Offer not taken up: " + name
        case .marketingContact where !product.isEmpty: return "Campaign: " + name
        case .marketingContact: return random.pick(campaigns)
        case .note: return random.pick(notes)
        case .complaint, .followUp: return "Contact"
        }
    }

    /// What a complaint was about.
    static func complaint(_ category: ComplaintCategory, random: inout SeededRandom) -> String {
        switch category {
        case .feesAndCharges: random.pick(["Unexpected overdraft fee", "Charged twice for a transfer", "Foreign transaction fee disputed"])
        case .serviceQuality:
            random.pick(["Issue not resolved on first contact", "Given conflicting information", "Promised callback never came"])
        case .product: random.pick(["Savings rate cut without notice", "Card limit lowered", "Mortgage offer terms unclear"])
        case .staffConduct: random.pick(["Unhelpful staff at branch", "Felt rushed by adviser"])
        case .digitalChannels: random.pick(["App login keeps failing", "Online banking outage", "Payment stuck in app"])
        case .fraudAndSecurity: random.pick(["Unrecognised card transaction", "Suspicious call claiming to be the bank"])
        case .waitingTime: random.pick(["Long wait on the phone", "Long queue at the branch", "Transfer took days to arrive"])
        case .other: random.pick(["Letter sent to old address", "Branch closure concerns"])
        }
    }

    /// What a follow-up of a complaint or a detractor's response did.
    static func followUp(of reason: FollowUpReason, random: inout SeededRandom) -> String {
        switch reason {
        case .complaint: random.pick(["Supervisor called back; issue resolved", "Apologised and refunded the fee",
                                      "Explained the charge; customer satisfied", "Escalated to the product team; customer informed"])
        case .detractor: random.pick(["Called to discuss survey feedback", "Supervisor apologised; feedback passed to the branch team",
                                      "Listened to feedback; agreed next steps"])
        }
    }

    /// Why a customer gave the score they did.
    static func surveyReason(score: Int, random: inout SeededRandom) -> String {
        switch NpsCategory(score: score) {
        case .promoter: random.pick(["Quick and friendly service", "The app makes banking easy", "Problem solved first time",
                                     "Helpful relationship manager"])
        case .passive: random.pick(["Fine, nothing special", "Good service but long waiting times", "App could be simpler"])
        case .detractor, nil: random.pick(["Long wait to get through", "Fees are too high", "Had to explain my issue several times",
                                           "App keeps crashing"])
        }
    }

    /// The summary of a new customer's first contact.
    static let accountOpened = "Current account opened"

    private static let transactions = ["Debit card payment", "Bill payment", "Standing order set up", "Salary received",
                                       "Faster Payment sent", "Direct debit paid", "International transfer", "Cheque deposited"]
    private static let atmTransactions = ["Cash withdrawal", "Balance check", "Cash deposit"]
    private static let cardTransactions = ["Card payment", "Online card purchase", "Contactless payment", "Card bill paid"]
    private static let savingsTransactions = ["Transfer to savings", "Transfer between own accounts", "Withdrawal from savings"]
    private static let inquiries = ["Balance enquiry", "Question about a payment", "Interest rate enquiry", "Overdraft limit question",
                                    "Opening hours question", "Question about a statement", "Travel notice"]
    private static let serviceRequests = ["Address change requested", "Replacement card ordered", "PIN reminder requested",
                                          "Statement copy requested", "Direct debit cancelled", "Contact details updated",
                                          "Card limit change requested"]
    private static let campaigns = ["Monthly newsletter", "Savings campaign", "Card rewards campaign", "Mortgage rate campaign",
                                    "Insurance renewal reminder"]
    private static let notes = ["Annual review scheduled", "Discussed financial goals", "Prefers contact by email",
                                "Retention call planned", "Documents checked"]
}
