import RapportProto
import RapportServer
import RapportWire

extension CustomerService {
    /// The customer-360 view. Placeholder until the interaction store lands (issue 5, in progress).
    public func getCustomerOverview(
        _ request: Rapport_V1_GetCustomerOverviewRequest, context: CallContext
    ) async throws -> Rapport_V1_CustomerOverview {
        throw RPCError(code: .unimplemented, message: "GetCustomerOverview is not implemented yet")
    }
}
