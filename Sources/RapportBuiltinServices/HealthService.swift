import RapportProto
import RapportServer
import RapportServerStubs

/// `rapport.health.v1.Health`: Check and Watch over the server's `HealthMonitor`.
public struct HealthService: Rapport_Health_V1_Health.ServiceProtocol {
    private let monitor: HealthMonitor

    public init(monitor: HealthMonitor) {
        self.monitor = monitor
    }

    public func check(
        _ request: Rapport_Health_V1_HealthCheckRequest, context: CallContext
    ) async throws -> Rapport_Health_V1_HealthCheckResponse {
        .with { $0.status = Self.wire(monitor.status(of: request.service)) }
    }

    public func watch(
        _ request: Rapport_Health_V1_HealthCheckRequest,
        writer: ResponseWriter<Rapport_Health_V1_HealthCheckResponse>,
        context: CallContext
    ) async throws {
        for await status in monitor.updates(for: request.service) {
            try await writer.send(.with { $0.status = Self.wire(status) })
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
