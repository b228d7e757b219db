import ArgumentParser
import Logging
import RapportApp
import ServiceLifecycle

/// `rapportd`: the Rapport daemon.
@main
struct Rapportd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapportd",
        abstract: "Rapport, the customer-relationship daemon, over its gRPC-style binary protocol.",
        discussion: "Flags override the config file; the config file overrides the defaults. SIGTERM or SIGINT shuts down gracefully."
    )

    @Option(help: "Address to listen on.")
    var host: String?

    @Option(help: "TCP port; 0 picks a free port and logs it. (default: \(DaemonConfiguration.defaultPort))")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Directory for the daemon's data. (default: ./rapport-data)")
    var dataDir: String?

    @Option(name: .customLong("config"), help: "JSON config file (keys as the flags, e.g. max_frame_size).")
    var configFile: String?

    @Option(name: .customLong("max-frame-size"), help: "Largest frame in bytes. (default: 4194304)")
    var maxFrameSize: Int?

    @Option(name: .customLong("max-concurrent-calls"), help: "Calls in flight per connection. (default: 128)")
    var maxConcurrentCalls: Int?

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle connection is closed. (default: 300)")
    var idleTimeout: Double?

    @Option(name: .customLong("shutdown-grace"), help: "Seconds in-flight calls get at shutdown. (default: 10)")
    var shutdownGrace: Double?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; with --tls-key, every connection uses TLS.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. (default: info)")
    var logLevel: String?

    func run() async throws {
        let configuration = try resolvedConfiguration()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let logger = Logger(label: "rapportd")
        let daemon = try Daemon(configuration: configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: daemon.server)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    private func resolvedConfiguration() throws -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        do {
            if let configFile {
                try configuration.apply(DaemonConfigFile.load(path: configFile))
            }
            var flags = DaemonConfigFile()
            flags.host = host
            flags.port = port
            flags.dataDir = dataDir
            flags.logLevel = logLevel
            flags.maxFrameSize = maxFrameSize
            flags.maxConcurrentCalls = maxConcurrentCalls
            flags.idleTimeoutSeconds = idleTimeout
            flags.shutdownGraceSeconds = shutdownGrace
            flags.tlsCert = tlsCert
            flags.tlsKey = tlsKey
            try configuration.apply(flags)
            try configuration.validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        return configuration
    }
}
