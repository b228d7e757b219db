import Foundation

/// Decides the lifecycle stage. Rules are tried in order and the first that matches wins:
/// decline (the customer is leaving, whatever the tenure), acquisition, growth, maturity.
struct LifecycleClassifier {
    let policy: SegmentationPolicy

    func classify(
        _ profile: CustomerProfile, customerSince: Date, activity: ActivitySummary?, today: CalendarDate
    ) -> (LifecycleStage, [String]) {
        let declineReasons = declineSignals(profile.products, activity: activity, today: today)
        if !declineReasons.isEmpty { return (.decline, declineReasons) }

        let tenure = Tenure(
            products: profile.products, customerSince: customerSince, firstContact: activity?.firstContact, today: today)
        if tenure.days < policy.acquisitionDays {
            return (.acquisition, ["tenure \(ReasonText.count(tenure.days, "day")) < \(policy.acquisitionDays), \(tenure.origin)"])
        }

        let active = profile.products.filter { !Self.isClosed($0, today: today) }.count
        let years = tenure.years
        let tenureText = "tenure \(ReasonText.count(years, "year")) (\(ReasonText.count(tenure.days, "day")))"
        let productsText = ReasonText.count(active, "active product")
        var growth: [String] = []
        if years < policy.growthYears {
            growth.append("\(tenureText) < \(ReasonText.count(policy.growthYears, "year")), \(tenure.origin)")
        }
        if active < policy.growthMaxActiveProducts {
            growth.append("\(productsText) < \(policy.growthMaxActiveProducts)")
        }
        if !growth.isEmpty { return (.growth, growth) }
        return (.maturity, [
            "\(tenureText) ≥ \(ReasonText.count(policy.growthYears, "year")), \(tenure.origin)",
            "\(productsText) ≥ \(policy.growthMaxActiveProducts)",
        ])
    }

    /// Every decline signal present; empty when there is none.
    func declineSignals(_ products: [ProductHolding], activity: ActivitySummary?, today: CalendarDate) -> [String] {
        var reasons: [String] = []
        let closed = products.filter { Self.isClosed($0, today: today) }
        if !products.isEmpty && closed.count == products.count {
            let last = closed.compactMap(\.closedOn).max().map { ", the last on \($0.isoString)" } ?? ""
            reasons.append(products.count == 1
                ? "\(DeclineCause.onlyProductClosed)\(last)"
                : "all \(products.count) \(DeclineCause.productsClosedWords)\(last)")
        }
        if let activity {
            let before = activity.contactsPrevious90Days
            let now = activity.contactsLast90Days
            if before >= policy.declineMinPreviousContacts && before > 0 {
                let drop = Double(before - now) / Double(before)
                if drop >= policy.declineDropRatio {
                    reasons.append(
                        "\(DeclineCause.contactsFellPrefix)\(ReasonText.percent(drop)) from \(before) to \(now) in the last 90 days "
                            + "(≥ \(ReasonText.percent(policy.declineDropRatio)) with at least \(policy.declineMinPreviousContacts) before)")
                }
            }
            if activity.complaintsLast90Days >= 1 {
                let complaints = ReasonText.count(activity.complaintsLast90Days, "complaint")
                for product in closed {
                    guard let closedOn = product.closedOn else { continue }
                    let ago = today.days(since: closedOn)
                    if ago <= policy.recentWindowDays {
                        reasons.append(
                            "product \(product.productCode) closed on \(closedOn.isoString) (\(ReasonText.count(ago, "day")) ago, "
                                + "within \(policy.recentWindowDays)) and \(complaints)\(DeclineCause.afterComplaintSuffix)")
                    }
                }
            }
        }
        return reasons
    }

    /// A product is closed once its closing date has come; a closing date still ahead means it is held.
    static func isClosed(_ product: ProductHolding, today: CalendarDate) -> Bool {
        guard let closedOn = product.closedOn else { return false }
        return closedOn <= today
    }
}

/// What put a customer in the decline stage, read back from the first reason the classifier gave:
/// the retention review's title names the cause rather than assuming falling activity.
public enum DeclineCause: Sendable, Hashable, CaseIterable {
    /// Every product the customer held is closed.
    case productsClosed
    /// Contacts fell sharply between the last two 90-day windows.
    case contactsFell
    /// A product was closed recently and the customer complained.
    case closedAfterComplaint

    // The phrases the classifier writes; the same constants read them back.
    static let onlyProductClosed = "the only product is closed"
    static let productsClosedWords = "products are closed"
    static let contactsFellPrefix = "contacts fell "
    static let afterComplaintSuffix = " in the last 90 days"

    /// The cause `reason` states, or nil when the classifier did not write it.
    public init?(reason: String) {
        if reason.hasPrefix(Self.onlyProductClosed) || (reason.hasPrefix("all ") && reason.contains(" \(Self.productsClosedWords)")) {
            self = .productsClosed
        } else if reason.hasPrefix(Self.contactsFellPrefix) {
            self = .contactsFell
        } else if reason.hasPrefix("product "), reason.contains(" closed on "), reason.contains("complaint") {
            self = .closedAfterComplaint
        } else {
            return nil
        }
    }
}
