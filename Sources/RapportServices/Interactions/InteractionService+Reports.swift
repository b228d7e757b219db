import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportStore
import RapportWire

extension InteractionService {
    /// The longest NPS report range: five years of 365 days plus two leap days.
    static let maxNpsRangeDays = 1827

    public func getNpsReport(
        _ request: Rapport_V1_GetNpsReportRequest, context: CallContext
    ) async throws -> Rapport_V1_NpsReport {
        guard request.hasOccurredFrom else {
            throw RPCError(
                code: .invalidArgument, message: "occurred_from: is required: the start of the range, inclusive",
                logSummary: "occurred_from: is required")
        }
        guard request.hasOccurredBefore else {
            throw RPCError(
                code: .invalidArgument, message: "occurred_before: is required: the end of the range, exclusive",
                logSummary: "occurred_before: is required")
        }
        let (range, dimension) = try invalidArgument { () throws(ValidationFailure) in
            (try TimeRange(from: request.occurredFrom, before: request.occurredBefore),
             try request.groupBy.domain(NpsDimension.self, field: "group_by"))
        }
        guard let from = range.from, let before = range.before else {
            throw RPCError(
                code: .invalidArgument, message: "occurred_from: is required, and so is occurred_before",
                logSummary: "occurred_from: is required")
        }
        guard before.timeIntervalSince(from) <= TimeInterval(Self.maxNpsRangeDays) * 86_400 else {
            throw RPCError(
                code: .invalidArgument,
                message: "occurred_before: the range from occurred_from must be at most \(Self.maxNpsRangeDays) days (5 years); "
                    + "ask for shorter ranges and add up their counts",
                logSummary: "occurred_before: range too long")
        }
        let report = try await errors.map { try await store.npsReport(from: from, before: before, groupBy: dimension) }
        return report.wire(groupedBy: dimension)
    }

    public func listFollowUps(
        _ request: Rapport_V1_ListFollowUpsRequest, context: CallContext
    ) async throws -> Rapport_V1_ListFollowUpsResponse {
        let pageSize = try PageSize.resolve(request.pageSize)
        let filter = FollowUpFilter(
            customerID: request.customerID.isEmpty ? nil : request.customerID,
            branchID: request.branchID.isEmpty ? nil : request.branchID)
        let page = try await errors.map { () async throws -> FollowUpPage in
            let cursor = request.pageToken.isEmpty ? nil : try store.pageTokens.cursor(request.pageToken, for: filter)
            return try await store.followUps(filter, pageSize: pageSize, after: cursor)
        }
        let now = now()
        return Rapport_V1_ListFollowUpsResponse.with {
            $0.items = page.items.map { $0.wire(now: now) }
            $0.nextPageToken = page.next.map { store.pageTokens.token(for: $0, filter: filter) } ?? ""
        }.visible(to: context)
    }
}
