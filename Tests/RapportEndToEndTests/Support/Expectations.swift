import RapportWire
import Testing

/// Runs `body` and returns the RPCError it threw; records a failure if it threw nothing or something else.
func rpcError(
    _ body: () async throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> RPCError? {
    do {
        try await body()
        Issue.record("expected an RPCError, the call succeeded", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        return error
    } catch {
        Issue.record("expected an RPCError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
