import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportWire
import SwiftProtobuf

extension CustomerService {
    /// Recent interactions an overview lists when the request leaves it unset, and the most it may ask for.
    static let defaultRecentInteractions = 10
    static let maxRecentInteractions = 100

    /// The customer-360 view: the customer as stored (segments and reasons as the store last
    /// computed them, which every logged interaction refreshes), the latest interactions, open
    /// follow-ups, the latest survey response and the activity the lifecycle stage reads.
    public func getCustomerOverview(
        _ request: Rapport_V1_GetCustomerOverviewRequest, context: CallContext
    ) async throws -> Rapport_V1_CustomerOverview {
        let requested = Int(request.recentInteractions)
        guard (0...Self.maxRecentInteractions).contains(requested) else {
            throw RPCError(
                code: .invalidArgument,
                message: "recent_interactions must be 0 to \(Self.maxRecentInteractions) "
                    + "(0 gives \(Self.defaultRecentInteractions)), got \(requested)",
                logSummary: "recent_interactions: out of range")
        }
        let customer = try await lookUp(id: request.id, externalRef: request.externalRef)
        let now = now()
        let overview = try await errors.map {
            try await interactions.activityOverview(
                customerID: customer.id, recent: requested == 0 ? Self.defaultRecentInteractions : requested,
                today: CalendarDate(utcDayOf: now))
        }
        audit.read(context, customerIDs: [customer.id])
        return Rapport_V1_CustomerOverview.with {
            $0.customer = customer.wire
            $0.recentInteractions = overview.recentInteractions.map(\.wire)
            $0.openFollowUps = overview.openFollowUps.map { $0.wire(now: now) }
            if let survey = overview.latestSurvey { $0.latestSurvey = survey.wire }
            $0.activity = overview.activity.wire
            // The log knows the exact instants; the activity summary only days.
            $0.activity.clearFirstContactAt()
            $0.activity.clearLastContactAt()
            if let first = overview.firstContactAt { $0.activity.firstContactAt = .millisecondPrecise(first) }
            if let last = overview.lastContactAt { $0.activity.lastContactAt = .millisecondPrecise(last) }
        }.visible(to: context)
    }
}
