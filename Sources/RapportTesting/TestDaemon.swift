import Foundation
import Logging
import RapportAccess
import RapportApp
import RapportClient
import RapportServer
import ServiceLifecycle

/// A real daemon running in-process on 127.0.0.1, on a free port, with a temporary data directory.
public struct TestDaemon: Sendable {
    /// The port it listens on.
    public let port: Int
    /// The assembled daemon, for its health monitor and configuration.
    public let daemon: Daemon
    private let group: ServiceGroup
    /// The local admin token the daemon wrote into its data directory; nil when it runs with a
    /// principals file.
    public let localToken: String?

    /// A client connected to this daemon, sending the local admin token unless `configuration`
    /// brings its own bearer token.
    public func makeClient(configuration: ClientConfiguration = .defaults) async throws -> RapportClient {
        var configuration = configuration
        if configuration.bearerToken == nil {
            configuration.bearerToken = localToken
        }
        return try await RapportClient.connect(host: "127.0.0.1", port: port, configuration: configuration)
    }

    /// A client sending `token` (nil: no credential at all).
    public func makeClient(token: String?, configuration: ClientConfiguration = .defaults) async throws -> RapportClient {
        var configuration = configuration
        configuration.bearerToken = token
        return try await RapportClient.connect(host: "127.0.0.1", port: port, configuration: configuration)
    }

    /// Begins a graceful shutdown, as SIGTERM does in `rapportd`.
    public func shutDown() async {
        await group.triggerGracefulShutdown()
    }

    /// Starts a daemon, runs `body` against it, then shuts it down and removes its data directory.
    ///
    /// - Parameters:
    ///   - configure: adjusts the configuration (limits, ...) before the daemon starts.
    ///   - extraServices: services served beside the real ones, e.g. test doubles of the transport;
    ///     they are open (a call with a credential still runs as its principal), so tests that
    ///     write raw frames need no token.
    ///   - refusalObserver: told of calls refused for credential, permission or principal limit.
    ///   - body: the test; the daemon is shut down when it returns or throws.
    public static func run<Result: Sendable>(
        configure: (inout DaemonConfiguration) -> Void = { _ in },
        extraServices: [any RPCService] = [],
        refusalObserver: (any CallRefusalObserver)? = nil,
        _ body: @Sendable (TestDaemon) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rapport-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = DaemonConfiguration(
            server: ServerConfiguration(host: "127.0.0.1", port: 0),
            dataDirectory: directory
        )
        configure(&configuration)
        let logger = Self.logger()
        let extraAccess = Dictionary(
            MethodRegistry(services: extraServices).services.flatMap(\.methods).map { ($0.path, MethodAccess.open) },
            uniquingKeysWith: { first, _ in first })
        let daemon = try Daemon(
            configuration: configuration, extraServices: extraServices, extraAccess: extraAccess,
            refusalObserver: refusalObserver, logger: logger)
        let localToken = configuration.principalsFile == nil
            ? try? LocalCredential.read(LocalAdminCredential.path(in: configuration.dataDirectory)) : nil
        let group = ServiceGroup(
            configuration: .init(services: daemon.services, gracefulShutdownSignals: [], logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let address = try await daemon.server.listeningAddress()
                let running = TestDaemon(port: address.port ?? 0, daemon: daemon, group: group, localToken: localToken)
                let result = try await body(running)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                try daemon.close()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                try? daemon.close()
                throw error
            }
        }
    }

    /// Silent unless RAPPORT_TEST_LOG names a level, so test output stays readable.
    private static func logger() -> Logger {
        guard let level = ProcessInfo.processInfo.environment["RAPPORT_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) else {
            return Logger(label: "rapportd-test", factory: { _ in SwiftLogNoOpLogHandler() })
        }
        var logger = Logger(label: "rapportd-test", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }
}
