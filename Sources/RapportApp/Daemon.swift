import Foundation
import Logging
import RapportBuiltinServices
import RapportServer
import ServiceLifecycle

/// The assembled daemon: every service wired into one server. `rapportd` runs it; tests start it in-process.
public struct Daemon: Sendable {
    public let server: Server
    public let health: HealthMonitor
    public let configuration: DaemonConfiguration

    /// Builds the daemon; `extraServices` lets tests serve additional methods beside the real ones.
    public init(configuration: DaemonConfiguration, extraServices: [any RPCService] = [], logger: Logger) throws {
        try configuration.validate()
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let health = HealthMonitor()
        let services: [any RPCService] = [
            DiagnosticsService(),
            HealthService(monitor: health),
            ReflectionService(),
        ] + extraServices
        self.configuration = configuration
        self.health = health
        self.server = Server(
            configuration: configuration.server,
            registry: MethodRegistry(services: services),
            health: health,
            logger: logger
        )
    }
}
