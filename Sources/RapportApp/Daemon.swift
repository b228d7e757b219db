import Foundation
import Logging
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

    /// Builds the daemon: locks the data directory, opens (creating and migrating) the database.
    /// `extraServices` lets tests serve additional methods beside the real ones.
    ///
    /// - Throws: `ConfigurationError` for unusable settings; `StoreError` when the data directory
    ///   is used by another rapportd or the database cannot be opened.
    public init(configuration: DaemonConfiguration, extraServices: [any RPCService] = [], logger: Logger) throws {
        try configuration.validate()
        let store = try SQLiteCustomerStore(configuration: configuration.store)
        if store.createdMasterKeyFile {
            logger.warning(
                "made a new master key in the data directory; production keeps it elsewhere (master_key_file or RAPPORT_MASTER_KEY)",
                metadata: ["file": "\(MasterKeySource.dataDirectoryFileName)", "master_key_id": "\(store.masterKeyID)"])
        }
        let health = HealthMonitor()
        let services: [any RPCService] = [
            DiagnosticsService(),
            HealthService(monitor: health),
            ReflectionService(),
            CustomerService(
                store: store, interactions: store, policy: configuration.segmentation, health: health,
                now: configuration.clock),
            InteractionService(
                store: store, policy: configuration.interactions, segmenter: Segmenter(policy: configuration.segmentation),
                health: health, now: configuration.clock),
            RecommendationService(
                store: store, policy: configuration.recommendations, interactionPolicy: configuration.interactions,
                segmenter: Segmenter(policy: configuration.segmentation), health: health, now: configuration.clock),
            KeyService(store: store, health: health),
        ] + extraServices
        self.configuration = configuration
        self.store = store
        self.health = health
        self.segmentSweeper = SegmentSweeper(
            store: store, segmenter: Segmenter(policy: configuration.segmentation), settings: configuration.segmentSweep,
            clock: configuration.clock, logger: logger)
        self.server = Server(
            configuration: configuration.server,
            registry: MethodRegistry(services: services),
            health: health,
            logger: logger
        )
    }

    /// What a ServiceGroup runs: the server and the background jobs beside it.
    public var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        [.init(service: server), .init(service: segmentSweeper)]
    }

    /// Closes the database and unlocks the data directory; call once the server has stopped.
    public func close() throws {
        try store.close()
    }
}
