import Foundation
import ArgumentParser
import CRapportAllocator
import Logging
import RapportApp
import RapportDomain
import RapportStore
import ServiceLifecycle

/// `rapportd`: the Rapport daemon; `rapportd seed` fills a data directory with demo customers.
@main
struct Rapportd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapportd",
        abstract: "Rapport, the customer-relationship daemon, over its gRPC-style binary protocol.",
        subcommands: [Serve.self, Seed.self, AuditCommand.self, CheckCommand.self, RotateKey.self],
        defaultSubcommand: Serve.self
    )
}

/// `rapportd [serve]`: runs the daemon until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon (the default).",
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

    @Option(
        name: .customLong("max-queued-write-bytes"),
        help: "Unread answer bytes per connection before its reading stops. (default: 4194304)")
    var maxQueuedWriteBytes: Int?

    @Option(
        name: .customLong("write-stall-timeout"),
        help: "Seconds a connection's reading may stay stopped before it is closed. (default: 30)")
    var writeStallTimeout: Double?

    @Option(name: .customLong("frame-read-timeout"), help: "Seconds a started frame may take to arrive. (default: 30)")
    var frameReadTimeout: Double?

    @Option(name: .customLong("max-connections"), help: "Connections open at once; more are refused. (default: 1024)")
    var maxConnections: Int?

    @Option(name: .customLong("listen-backlog"), help: "Connections the kernel queues for accepting. (default: 1024)")
    var listenBacklog: Int?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; with --tls-key, every connection uses TLS.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(
        name: .customLong("tls-client-ca"),
        help: "PEM CA bundle; with it every client must present a certificate it verifies (mutual TLS).")
    var tlsClientCA: String?

    @Option(
        name: .customLong("principals-file"),
        help: "JSON principals file (token hashes, certificate names, roles); SIGHUP reloads it. Without it: DATA_DIR/local-admin.token, loopback only.")
    var principalsFile: String?

    @Flag(help: "Allow listening beyond loopback without TLS and a principals file. Not for production.")
    var insecure = false

    @Flag(name: .customLong("open-reflection"), help: "Serve reflection without a credential.")
    var openReflection = false

    @Flag(name: .customLong("open-diagnostics"), help: "Serve diagnostics (Echo) without a credential.")
    var openDiagnostics = false

    @Option(name: .customLong("sqlite-synchronous"), help: "full (default), normal or off: see the README before changing it.")
    var sqliteSynchronous: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. (default: info)")
    var logLevel: String?

    func run() async throws {
        CrashBacktraces.useProductionSettings()
        // Memory a burst of large requests took is given back; with glibc's defaults the daemon
        // kept it (docs/reliability.md, hostile input).
        _ = rapport_tune_allocator(Int32(clamping: 2 * ProcessInfo.processInfo.activeProcessorCount))
        let configuration = try resolvedConfiguration()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let logger = Logger(label: "rapportd")
        let daemon: Daemon
        do {
            daemon = try Daemon(configuration: configuration, logger: logger)
        } catch let error as StoreError {
            logger.critical(
                "cannot open the data directory",
                metadata: ["data_dir": "\(Self.absolute(configuration.dataDirectory))", "reason": "\(error.message)"])
            throw ExitCode.failure
        } catch let error as ConfigurationError {
            logger.critical("cannot start", metadata: ["reason": "\(error.description)"])
            throw ExitCode.failure
        }
        let reload = PrincipalsReloadSignal(daemon: daemon)
        logger.info(
            "data directory \(Self.absolute(configuration.dataDirectory)) opened",
            metadata: ["sqlite_synchronous": "\(configuration.synchronous.rawValue)"])
        let group = ServiceGroup(
            configuration: .init(
                services: daemon.services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        reload.cancel()
        do {
            try daemon.close()
        } catch let error as StoreError {
            // The writes are safe in the write-ahead log (the next start reads them), but the
            // database file alone is not a complete copy: say so, and exit non-zero.
            logger.error("the store did not close cleanly", metadata: ["reason": "\(error.message)"])
            throw ExitCode.failure
        }
    }

    /// The data directory as an absolute path, so the log says which one whatever the working directory.
    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
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
            flags.maxQueuedWriteBytes = maxQueuedWriteBytes
            flags.writeStallTimeoutSeconds = writeStallTimeout
            flags.frameReadTimeoutSeconds = frameReadTimeout
            flags.maxConnections = maxConnections
            flags.listenBacklog = listenBacklog
            flags.tlsCert = tlsCert
            flags.tlsKey = tlsKey
            flags.tlsClientCA = tlsClientCA
            flags.principalsFile = principalsFile
            flags.insecure = insecure ? true : nil
            flags.openReflection = openReflection ? true : nil
            flags.openDiagnostics = openDiagnostics ? true : nil
            flags.sqliteSynchronous = sqliteSynchronous
            try configuration.apply(flags)
            try configuration.applyEnvironment(ProcessInfo.processInfo.environment)
            try configuration.validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        return configuration
    }
}

/// `rapportd seed`: fills a data directory with realistic synthetic customers and their interaction
/// histories, deterministic per seed.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill a data directory with synthetic customers and their interactions for demos and benchmarks.",
        discussion: "Run it while the daemon is stopped (it locks the data directory). Seeding again with the same --seed is refused rather than duplicating customers; use another --seed to add more. The product catalog is installed first, by code, so it is never duplicated."
    )

    @Option(name: .customLong("data-dir"), help: "Directory for the daemon's data. (default: ./rapport-data, or the config file's data_dir)")
    var dataDir: String?

    @Option(name: .customLong("config"), help: "The daemon's JSON config file: seeding segments customers and dates follow-ups with its segmentation and interactions settings.")
    var configFile: String?

    @Option(help: "How many customers to create.")
    var customers = 1000

    @Option(help: "The seed: the same seed gives the same customers.")
    var seed: UInt64 = 1

    @Option(name: .customLong("interactions-per-customer"), help: "Average interactions per customer; 0 seeds none.")
    var interactionsPerCustomer = 12

    @Option(
        name: .customLong("as-of"),
        help: "Seed the book as it stands on this UTC day (YYYY-MM-DD, not after today; default today): the same --seed and --as-of give the same book, whatever day it is seeded.")
    var asOf: String?

    func validate() throws {
        guard (1...10_000_000).contains(customers) else { throw ValidationError("--customers must be 1...10000000") }
        guard (0...1000).contains(interactionsPerCustomer) else {
            throw ValidationError("--interactions-per-customer must be 0...1000")
        }
        _ = try seedingInstant(now: Date())
    }

    /// The instant the book is seeded as of: noon UTC of `--as-of` (or `now` when that is earlier,
    /// so nothing is dated in the future), or `now` without it.
    func seedingInstant(now: Date) throws -> Date {
        guard let asOf else { return now }
        let parts = asOf.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { throw ValidationError("--as-of must be a date as YYYY-MM-DD, got '\(asOf)'") }
        let date = CalendarDate(year: year, month: month, day: day)
        guard date.isValid else { throw ValidationError("--as-of \(asOf) is not a day of the calendar") }
        guard year >= 1971 else { throw ValidationError("--as-of must be in 1971 or later") }
        guard date <= CalendarDate(utcDayOf: now) else {
            throw ValidationError("--as-of \(asOf) is after today (UTC); a book cannot be seeded in the future")
        }
        return min(date.utcStart.addingTimeInterval(12 * 3_600), now)
    }

    func run() async throws {
        var configuration = DaemonConfiguration()
        do {
            if let configFile { try configuration.apply(DaemonConfigFile.load(path: configFile)) }
            if let dataDir { configuration.dataDirectory = dataDir }
            try configuration.applyEnvironment(ProcessInfo.processInfo.environment)
            try configuration.validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let dataDir = configuration.dataDirectory
        var storeConfiguration = configuration.store
        storeConfiguration.cachesRecommendationContexts = false
        let store = try SQLiteCustomerStore(configuration: storeConfiguration)
        if store.createdMasterKeyFile {
            print("made a new master key in \(dataDir)/\(MasterKeySource.dataDirectoryFileName); production keeps it elsewhere (master_key_file or RAPPORT_MASTER_KEY)")
        }
        let seeder = Seeder(
            store: store, policy: configuration.segmentation, seed: seed, interactionsPerCustomer: interactionsPerCustomer,
            interactionPolicy: configuration.interactions)
        let newProducts: Int
        do {
            newProducts = try await seeder.installCatalog()
        } catch {
            try? store.close()
            throw error
        }
        print("product catalog: \(SeedCatalog.products.count) products, \(newProducts) new")
        let now = try seedingInstant(now: Date())
        let planned = seeder.plannedInteractions(count: customers, now: now)
        let bar = ProgressBar(total: customers + planned)
        do {
            try await seeder.seed(count: customers, now: now) { done in
                bar.update(
                    done.customers + done.interactions,
                    detail: "\(done.customers)/\(customers) customers, \(done.interactions)/\(planned) interactions")
            }
        } catch let error as StoreError {
            bar.finish()
            try? store.close()
            guard case .alreadyExists = error.kind else { throw error }
            FileHandle.standardError.write(Data("rapportd seed: \(dataDir) already holds customers of seed \(seed); use another --seed\n".utf8))
            throw ExitCode.failure
        }
        bar.finish()
        try store.close()
        print("seeded \(customers) customers and \(planned) interactions into \(dataDir) (seed \(seed), as of \(CalendarDate(utcDayOf: now).isoString))")
    }
}
