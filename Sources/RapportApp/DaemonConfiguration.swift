import Foundation
import Logging
import RapportDomain
import RapportServer
import RapportServices
import RapportStore

/// Everything `rapportd` is configured with: where to listen, where data lives, limits, log level.
public struct DaemonConfiguration: Sendable {
    /// The port `rapportd` and `rapport-probe` use unless told otherwise.
    public static let defaultPort = 7420

    public var server: ServerConfiguration
    /// Where the daemon keeps its data: `rapport.sqlite` and the lock file.
    public var dataDirectory: String
    /// How hard SQLite works to keep a committed write on disk (FULL by default; see README).
    public var synchronous: StoreConfiguration.SynchronousMode
    /// The value-tier thresholds and lifecycle parameters.
    public var segmentation: SegmentationPolicy
    /// The interaction log's limits, follow-up SLA and batch size.
    public var interactions: InteractionPolicy
    /// The daily background re-segmentation of every customer.
    public var segmentSweep: SegmentSweepSettings
    /// The weights of the recommendation signals and the profiling rule.
    public var recommendations: RecommendationPolicy
    /// Customers kept in memory for point reads and recommendations (0 turns the caches off).
    public var customerCacheCapacity: Int
    /// The master key wrapping customers' data keys: `master_key_file`, or `RAPPORT_MASTER_KEY`
    /// (`applyEnvironment`), else `master.key` made in the data directory on the first start.
    public var masterKey: MasterKeySource = .dataDirectory
    /// Master keys an interrupted rotation may have left keys under (`previous_master_key_file`).
    public var previousMasterKeys: [MasterKeySource] = []
    public var logLevel: Logger.Level
    /// What the services read as "now" (validation, segments, due times); tests fix it.
    public var clock: @Sendable () -> Date
    /// The principals file (see `PrincipalsFile`); nil runs with the local admin token alone
    /// (`DATA_DIR/local-admin.token`), on loopback only.
    public var principalsFile: String?
    /// Allows listening beyond loopback without TLS and a principals file (logged loudly).
    public var insecure: Bool
    /// Reflection answers without a credential (it lists method names, not data).
    public var openReflection: Bool
    /// Diagnostics (Echo) answers without a credential.
    public var openDiagnostics: Bool
    /// How far back a consent decision may be dated without the consent.backdate permission.
    public var consentBackdatingWindow: TimeInterval = ConsentProvenance.defaultBackdatingWindow

    public init(
        server: ServerConfiguration = ServerConfiguration(port: DaemonConfiguration.defaultPort),
        dataDirectory: String = "rapport-data",
        synchronous: StoreConfiguration.SynchronousMode = .full,
        segmentation: SegmentationPolicy = .defaults,
        interactions: InteractionPolicy = .defaults,
        segmentSweep: SegmentSweepSettings = SegmentSweepSettings(),
        recommendations: RecommendationPolicy = .defaults,
        customerCacheCapacity: Int = DaemonConfiguration.defaultCustomerCacheCapacity,
        logLevel: Logger.Level = .info,
        clock: @escaping @Sendable () -> Date = Date.init,
        principalsFile: String? = nil,
        insecure: Bool = false,
        openReflection: Bool = false,
        openDiagnostics: Bool = false
    ) {
        self.principalsFile = principalsFile
        self.insecure = insecure
        self.openReflection = openReflection
        self.openDiagnostics = openDiagnostics
        self.server = server
        self.dataDirectory = dataDirectory
        self.synchronous = synchronous
        self.segmentation = segmentation
        self.interactions = interactions
        self.segmentSweep = segmentSweep
        self.recommendations = recommendations
        self.customerCacheCapacity = customerCacheCapacity
        self.logLevel = logLevel
        self.clock = clock
    }

    /// The store's configuration.
    public var store: StoreConfiguration {
        var store = StoreConfiguration(dataDirectory: dataDirectory, synchronous: synchronous, customerCacheCapacity: customerCacheCapacity)
        store.masterKey = masterKey
        store.previousMasterKeys = previousMasterKeys
        return store
    }

    /// The environment variable holding the master key as base64 (instead of a key file).
    public static let masterKeyEnvironmentVariable = "RAPPORT_MASTER_KEY"

    /// Takes the master key from `RAPPORT_MASTER_KEY` when set.
    ///
    /// - Throws: `ConfigurationError` when it is not the base64 of 32 bytes, or when a key file is
    ///   configured as well (which of the two holds the right key cannot be guessed).
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        guard let text = environment[Self.masterKeyEnvironmentVariable] else { return }
        guard let key = MasterKey(base64: text) else {
            throw ConfigurationError("\(Self.masterKeyEnvironmentVariable) is not the base64 of 32 bytes")
        }
        if case .file = masterKey {
            throw ConfigurationError("both master_key_file and \(Self.masterKeyEnvironmentVariable) are set; keep one")
        }
        masterKey = .key(key)
    }

    /// Decoded customers the store keeps for point reads unless configured otherwise.
    public static let defaultCustomerCacheCapacity = StoreConfiguration.defaultCustomerCacheCapacity
    /// The capacities `customer_cache_capacity` accepts: 0 (off) up to ten million customers.
    public static let customerCacheCapacityRange = 0...10_000_000
}

/// The JSON config file: every key optional, named like the command-line flags.
///
/// ```json
/// {"host": "127.0.0.1", "port": 7420, "data_dir": "/var/lib/rapport", "log_level": "info",
///  "max_frame_size": 4194304, "max_concurrent_calls": 128, "idle_timeout_seconds": 300,
///  "shutdown_grace_seconds": 10, "max_queued_write_bytes": 4194304, "write_stall_timeout_seconds": 30,
///  "frame_read_timeout_seconds": 30, "max_connections": 1024, "listen_backlog": 1024, "tls_cert": "/etc/rapport/cert.pem", "tls_key": "/etc/rapport/key.pem",
///  "tls_client_ca": "/etc/rapport/clients-ca.pem", "principals_file": "/etc/rapport/principals.json", "insecure": false,
///  "open_reflection": false, "open_diagnostics": false, "master_key_file": "/etc/rapport/master.key",
///  "sqlite_synchronous": "full", "customer_cache_capacity": 10000, "segmentation": {...SegmentationPolicy...},
///  "interactions": {...InteractionPolicy...}, "recommendations": {...RecommendationPolicy...},
///  "segment_sweep": {"enabled": true, "checkIntervalSeconds": 60, "stepSize": 500, "pauseSeconds": 0.05},
///  "consent_backdating_days": 7}
/// ```
public struct DaemonConfigFile: Decodable, Sendable {
    public var host: String?
    public var port: Int?
    public var dataDir: String?
    public var logLevel: String?
    public var maxFrameSize: Int?
    public var maxConcurrentCalls: Int?
    public var idleTimeoutSeconds: Double?
    public var shutdownGraceSeconds: Double?
    public var maxQueuedWriteBytes: Int?
    public var writeStallTimeoutSeconds: Double?
    public var frameReadTimeoutSeconds: Double?
    public var maxConnections: Int?
    public var listenBacklog: Int?
    public var tlsCert: String?
    public var tlsKey: String?
    public var tlsClientCA: String?
    public var principalsFile: String?
    public var insecure: Bool?
    public var openReflection: Bool?
    public var openDiagnostics: Bool?
    public var sqliteSynchronous: String?
    public var customerCacheCapacity: Int?
    public var masterKeyFile: String?
    public var previousMasterKeyFile: String?
    public var segmentation: SegmentationPolicy?
    public var interactions: InteractionPolicy?
    public var segmentSweep: SegmentSweepSettings?
    public var recommendations: RecommendationPolicy?
    public var consentBackdatingDays: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port
        case dataDir = "data_dir"
        case logLevel = "log_level"
        case maxFrameSize = "max_frame_size"
        case maxConcurrentCalls = "max_concurrent_calls"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case shutdownGraceSeconds = "shutdown_grace_seconds"
        case maxQueuedWriteBytes = "max_queued_write_bytes"
        case writeStallTimeoutSeconds = "write_stall_timeout_seconds"
        case frameReadTimeoutSeconds = "frame_read_timeout_seconds"
        case maxConnections = "max_connections"
        case listenBacklog = "listen_backlog"
        case tlsCert = "tls_cert"
        case tlsKey = "tls_key"
        case tlsClientCA = "tls_client_ca"
        case principalsFile = "principals_file"
        case insecure
        case openReflection = "open_reflection"
        case openDiagnostics = "open_diagnostics"
        case sqliteSynchronous = "sqlite_synchronous"
        case customerCacheCapacity = "customer_cache_capacity"
        case masterKeyFile = "master_key_file"
        case previousMasterKeyFile = "previous_master_key_file"
        case segmentation
        case interactions
        case segmentSweep = "segment_sweep"
        case recommendations
        case consentBackdatingDays = "consent_backdating_days"
    }

    public init() {}

    /// Reads a config file; unknown keys are refused so a typo does not silently fall back to a default.
    public static func load(path: String) throws -> DaemonConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("cannot read config file \(path): \(error.localizedDescription)")
        }
        let object = try? JSONSerialization.jsonObject(with: data)
        guard let keys = (object as? [String: Any]).map({ Set($0.keys) }) else {
            throw ConfigurationError("config file \(path) is not a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = keys.subtracting(known).sorted().first {
            throw ConfigurationError("config file \(path): unknown key '\(unknown)'")
        }
        do {
            return try JSONDecoder().decode(DaemonConfigFile.self, from: data)
        } catch {
            throw ConfigurationError("config file \(path): \(error)")
        }
    }
}

/// A configuration value that cannot be used, with what to fix.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
