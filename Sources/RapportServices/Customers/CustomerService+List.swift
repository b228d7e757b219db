import Foundation
import RapportDomain
import RapportProto
import RapportProtoMapping
import RapportServer
import RapportStore
import RapportWire

extension CustomerService {
    public func listCustomers(
        _ request: Rapport_V1_ListCustomersRequest, context: CallContext
    ) async throws -> Rapport_V1_ListCustomersResponse {
        let pageSize = try PageSize.resolve(request.pageSize)
        let query = try invalidArgument { () throws(ValidationFailure) -> CustomerQuery in
            CustomerQuery(
                valueTier: try request.valueTier.domain(field: "value_tier"),
                lifecycleStage: try request.lifecycleStage.domain(field: "lifecycle_stage"),
                riskLevel: try request.riskLevel.domain(field: "risk_level"),
                branchID: request.branchID.isEmpty ? nil : request.branchID,
                relationshipManagerID: request.relationshipManagerID.isEmpty ? nil : request.relationshipManagerID,
                namePrefix: request.namePrefix.isEmpty ? nil : request.namePrefix
            )
        }
        let page = try await errors.map { () async throws -> CustomerPage in
            let cursor = request.pageToken.isEmpty ? nil : try store.pageTokens.cursor(request.pageToken, for: query)
            return try await store.list(query, pageSize: pageSize, after: cursor)
        }
        audit.read(context, customerIDs: page.customers.map(\.id))
        return Rapport_V1_ListCustomersResponse.with {
            $0.customers = page.customers.map(\.wire)
            $0.nextPageToken = page.next.map { store.pageTokens.token(for: $0, query: query) } ?? ""
        }.visible(to: context)
    }
}
