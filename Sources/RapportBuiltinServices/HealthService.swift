import RapportProto
import RapportServer

/// `rapport.health.v1.Health`: Check and Watch over the server's `HealthMonitor`.
public struct HealthService: RPCService {
    private let monitor: HealthMonitor

    public init(monitor: HealthMonitor) {
        self.monitor = monitor
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register(Rapport_Health_V1_Health.Method.check) { request, _ in
            .with { $0.status = Self.wire(monitor.status(of: request.service)) }
        }
        registry.register(Rapport_Health_V1_Health.Method.watch) { request, writer, _ in
            for await status in monitor.updates(for: request.service) {
                try await writer.send(.with { $0.status = Self.wire(status) })
            }
        }
    }

    private static func wire(_ status: HealthMonitor.ServingStatus) -> Rapport_Health_V1_HealthCheckResponse.ServingStatus {
        switch status {
        case .serving: .serving
        case .notServing: .notServing
        case .serviceUnknown: .serviceUnknown
        }
    }
}
