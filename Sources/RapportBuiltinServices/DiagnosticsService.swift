import RapportProto
import RapportServer
import RapportServerStubs
import RapportWire

/// `rapport.diagnostics.v1.Diagnostics`: echoes payloads for probes, benchmarks and client tests.
public struct DiagnosticsService: Rapport_Diagnostics_V1_Diagnostics.ServiceProtocol {
    /// The longest delay a caller may ask Echo for.
    public static let maxDelayMilliseconds: UInt32 = 60_000

    public init() {}

    public func echo(
        _ request: Rapport_Diagnostics_V1_EchoRequest, context: CallContext
    ) async throws -> Rapport_Diagnostics_V1_EchoResponse {
        guard request.delayMs <= Self.maxDelayMilliseconds else {
            throw RPCError(
                code: .invalidArgument,
                message: "delay_ms \(request.delayMs) exceeds the maximum of \(Self.maxDelayMilliseconds)"
            )
        }
        if request.delayMs > 0 {
            try await Task.sleep(for: .milliseconds(Int64(request.delayMs)))
        }
        return .with { $0.payload = request.payload }
    }
}
