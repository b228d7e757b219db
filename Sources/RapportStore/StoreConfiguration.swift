/// Where the store keeps its data and how hard it works to keep every acknowledged write.
public struct StoreConfiguration: Sendable {
    /// How SQLite syncs the write-ahead log to disk (`PRAGMA synchronous`).
    ///
    /// The store always runs in WAL mode; these are the WAL-mode guarantees.
    public enum SynchronousMode: String, Sendable, Hashable, CaseIterable {
        /// FULL: every commit is synced before it is acknowledged; a committed write survives
        /// a process crash, an OS crash and a power loss. The default.
        case full
        /// NORMAL: the log is synced only at checkpoints; a process crash loses nothing, but an
        /// OS crash or power loss may lose the last committed transactions. Never corrupts.
        case normal
        /// OFF: nothing is synced; a process crash loses nothing, but an OS crash or power loss
        /// may lose recent transactions or corrupt the database file.
        case off

        /// The value for `PRAGMA synchronous`.
        var pragmaValue: String {
            switch self {
            case .full: "FULL"
            case .normal: "NORMAL"
            case .off: "OFF"
            }
        }

        /// The number `PRAGMA synchronous` reads back for this mode.
        var pragmaNumber: Int {
            switch self {
            case .off: 0
            case .normal: 1
            case .full: 2
            }
        }
    }

    /// The name of the database file inside the data directory.
    public static let databaseFileName = "rapport.sqlite"

    /// The data directory; created on first open, locked while a store uses it.
    public var dataDirectory: String
    /// Durability of each commit; `.full` by default.
    public var synchronous: SynchronousMode
    /// How long a write waits for a lock held by another connection before failing with `.busy`.
    public var busyTimeout: Duration
    /// How many customers the store keeps in memory, decoded for point reads and with their
    /// recommendation context, and (on the writer) with the day's activity summary: three caches
    /// of this capacity; 0 turns them all off.
    public var customerCacheCapacity: Int
    /// Whether recommendation contexts are cached (with `customerCacheCapacity`). A store opened
    /// only to import, as `rapportd seed` does, answers no recommendations and turns it off: the
    /// cache's triggers then cost every imported interaction of the history's kinds a call.
    public var cachesRecommendationContexts = true
    /// The master key wrapping customers' data keys; by default `master.key` in the data
    /// directory, made on the first start (see `MasterKeySource`).
    public var masterKey: MasterKeySource = .dataDirectory
    /// Master keys an interrupted rotation may have left keys wrapped under: they open those keys,
    /// and rotation (`rotateMasterKey`) re-wraps them under `masterKey`.
    public var previousMasterKeys: [MasterKeySource] = []

    /// Customers kept unless configured otherwise: a book of 100,000 customers whole, about 1 KB
    /// each decoded and ~3 KB of recommendation context (~400 MB with all held). GetRecommendations
    /// over 100,000 random customers spent 7–14% less CPU per call with every customer cached than
    /// with 10,000, and with every context cached under a third of the CPU (benchmarks/README.md).
    public static let defaultCustomerCacheCapacity = 100_000

    /// - Parameters:
    ///   - dataDirectory: The data directory; created on first open.
    ///   - synchronous: Durability of each commit; `.full` by default.
    ///   - busyTimeout: How long to wait for a lock before failing with `.busy`; 5 s by default.
    ///   - customerCacheCapacity: Customers kept in memory; `defaultCustomerCacheCapacity` by default.
    public init(
        dataDirectory: String, synchronous: SynchronousMode = .full, busyTimeout: Duration = .seconds(5),
        customerCacheCapacity: Int = StoreConfiguration.defaultCustomerCacheCapacity
    ) {
        self.dataDirectory = dataDirectory
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.customerCacheCapacity = max(0, customerCacheCapacity)
    }

    /// The busy timeout in seconds, never negative.
    var busyTimeoutSeconds: Double {
        let (seconds, attoseconds) = busyTimeout.components
        return max(0, Double(seconds) + Double(attoseconds) / 1e18)
    }
}
