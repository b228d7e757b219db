import Foundation
import Logging
import RapportAccess
import RapportBuiltinServices
import RapportDomain
import RapportServices
import RapportServer
import RapportStore
import ServiceLifecycle

/// The assembled daemon: every service wired into one server. `rapportd` runs it; tests start it in-process.
public struct Daemon: Sendable {
    public let server: Server
    public let health: HealthMonitor
    public let configuration: DaemonConfiguration
    /// The customer store; its data directory stays locked until `close()`.
    public let store: SQLiteCustomerStore
    /// Keeps stored segments true as the days pass.
    public let segmentSweeper: SegmentSweeper
    /// The principals in force; `reloadPrincipals` swaps them.
    public let authenticator: Authenticator
    private let logger: Logger
    /// Group-commits the audit events that are not writes (reads, refusals, failed writes); the
    /// server's `CallRefusalObserver`.
    public let auditRecorder: AuditRecorder

    /// Builds the daemon: locks the data directory, opens (creating and migrating) the database,
    /// loads the principals (or makes the local admin token). `extraServices` lets tests serve
    /// additional methods beside the real ones, with their rules in `extraAccess`.
    ///
    /// - Throws: `ConfigurationError` for unusable settings or principals; `StoreError` when the data directory
    ///   is used by another rapportd or the database cannot be opened; `MissingAccessRuleError` when a
    ///   served method has no rule in the permission table.
    public init(
        configuration: DaemonConfiguration, extraServices: [any RPCService] = [],
        extraAccess: [String: MethodAccess] = [:], refusalObserver: (any CallRefusalObserver)? = nil, logger: Logger
    ) throws {
        try configuration.validate()
        let principals = try configuration.principalsFile.map { try PrincipalsFile.load(path: $0) }
        let store = try SQLiteCustomerStore(configuration: configuration.store)
        do {
            try self.init(
                configuration: configuration, store: store, principals: principals, extraServices: extraServices,
                extraAccess: extraAccess, refusalObserver: refusalObserver, logger: logger)
        } catch {
            try? store.close()
            throw error
        }
    }

    private init(
        configuration: DaemonConfiguration, store: SQLiteCustomerStore, principals: PrincipalDirectory?,
        extraServices: [any RPCService], extraAccess: [String: MethodAccess], refusalObserver: (any CallRefusalObserver)?,
        logger: Logger
    ) throws {
        let directory = try principals ?? Self.localAdmin(in: configuration.dataDirectory, logger: logger)
        if let path = configuration.principalsFile {
            logger.info("principals loaded", metadata: ["principals_file": "\(path)", "principals": "\(directory.entries.count)"])
        }
        if configuration.isExposedInsecurely {
            logger.error(
                "INSECURE: listening beyond loopback without TLS and a principals file (--insecure); credentials and personal data cross the network unprotected",
                metadata: ["host": "\(configuration.server.host)"])
        }
        if store.createdMasterKeyFile {
            logger.warning(
                "made a new master key in the data directory; production keeps it elsewhere (master_key_file or RAPPORT_MASTER_KEY)",
                metadata: ["file": "\(MasterKeySource.dataDirectoryFileName)", "master_key_id": "\(store.masterKeyID)"])
        }
        let authenticator = Authenticator(directory: directory)
        let health = HealthMonitor()
        let auditRecorder = AuditRecorder(store: store, logger: logger)
        let services: [any RPCService] = [
            DiagnosticsService(),
            HealthService(monitor: health),
            ReflectionService(),
            CustomerService(
                store: store, interactions: store, policy: configuration.segmentation, health: health,
                now: configuration.clock, auditTrail: auditRecorder,
                consentBackdatingWindow: configuration.consentBackdatingWindow),
            InteractionService(
                store: store, policy: configuration.interactions, segmenter: Segmenter(policy: configuration.segmentation),
                health: health, now: configuration.clock, auditTrail: auditRecorder),
            RecommendationService(
                store: store, policy: configuration.recommendations, interactionPolicy: configuration.interactions,
                segmenter: Segmenter(policy: configuration.segmentation), health: health, now: configuration.clock,
                auditTrail: auditRecorder),
            AdminService(store: store, health: health),
            KeyService(store: store, health: health),
        ] + extraServices
        self.configuration = configuration
        self.authenticator = authenticator
        self.logger = logger
        self.store = store
        self.health = health
        self.auditRecorder = auditRecorder
        self.segmentSweeper = SegmentSweeper(
            store: store, segmenter: Segmenter(policy: configuration.segmentation), settings: configuration.segmentSweep,
            clock: configuration.clock, logger: logger)
        self.server = try Server(
            configuration: configuration.server,
            registry: MethodRegistry(services: services),
            health: health,
            logger: logger,
            security: ServerSecurity(
                access: configuration.accessTable.merging(extraAccess) { table, _ in table }, authenticator: authenticator,
                refusalObserver: RefusalObservers([auditRecorder] + (refusalObserver.map { [$0] } ?? [])))
        )
    }

    /// The local admin's token file, made on first start; the log says where, never what.
    private static func localAdmin(in dataDirectory: String, logger: Logger) throws -> PrincipalDirectory {
        let (directory, created) = try LocalAdminCredential.loadOrCreate(in: dataDirectory)
        let path = URL(fileURLWithPath: LocalAdminCredential.path(in: dataDirectory)).standardizedFileURL.path
        logger.notice(
            created ? "no principals file: wrote the local admin credential" : "no principals file: using the local admin credential",
            metadata: ["token_file": "\(path)", "principal": "\(LocalAdminCredential.principalName)"])
        return directory
    }

    /// Reads the principals file again and swaps it in; open connections keep running, and their
    /// next calls are checked against the new principals. A file that does not load leaves the
    /// old principals in force, and the log says why.
    /// - Returns: whether the new principals are in force.
    @discardableResult
    public func reloadPrincipals() -> Bool {
        guard let path = configuration.principalsFile else {
            logger.notice("reload asked, but no principals file is configured; the local admin credential stays")
            return false
        }
        do {
            let directory = try PrincipalsFile.load(path: path)
            authenticator.replace(with: directory)
            logger.notice("principals reloaded", metadata: ["principals_file": "\(path)", "principals": "\(directory.entries.count)"])
            return true
        } catch {
            logger.error("principals file not reloaded; the previous principals stay in force", metadata: ["reason": "\(error)"])
            return false
        }
    }

    /// What a ServiceGroup runs: the server and the background jobs beside it.
    public var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        // Shut down in reverse order: the recorder last, so it flushes after the last call.
        [.init(service: auditRecorder), .init(service: server), .init(service: segmentSweeper)]
    }

    /// Closes the database and unlocks the data directory; call once the server has stopped.
    public func close() throws {
        try store.close()
    }
}
