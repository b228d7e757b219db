import RapportProto
import RapportServer
import RapportWire

/// `rapport.diagnostics.v1.Diagnostics`: echoes payloads for probes, benchmarks and client tests.
public struct DiagnosticsService: RPCService {
    /// The longest delay a caller may ask Echo for.
    public static let maxDelayMilliseconds: UInt32 = 60_000

    public init() {}

    public func register(into registry: inout MethodRegistry) {
        registry.register(Rapport_Diagnostics_V1_Diagnostics.Method.echo) { request, _ in
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
}
