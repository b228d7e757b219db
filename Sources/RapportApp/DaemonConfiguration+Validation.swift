import Logging
import RapportServer
import RapportStore

extension DaemonConfiguration {
    /// Applies a config file's values over this configuration.
    public mutating func apply(_ file: DaemonConfigFile) throws {
        if let host = file.host { server.host = host }
        if let port = file.port { server.port = port }
        if let dataDir = file.dataDir { dataDirectory = dataDir }
        if let level = file.logLevel { logLevel = try Self.logLevel(named: level) }
        if let size = file.maxFrameSize { server.limits.maxFrameSize = size }
        if let calls = file.maxConcurrentCalls { server.limits.maxConcurrentCallsPerConnection = calls }
        if let seconds = file.idleTimeoutSeconds { server.limits.idleTimeout = try Self.duration(seconds, "idle_timeout_seconds") }
        if let seconds = file.shutdownGraceSeconds {
            server.limits.shutdownGracePeriod = try Self.duration(seconds, "shutdown_grace_seconds")
        }
        try applyTransportLimits(file)
        if let mode = file.sqliteSynchronous {
            guard let parsed = StoreConfiguration.SynchronousMode(rawValue: mode.lowercased()) else {
                throw ConfigurationError("sqlite_synchronous '\(mode)' must be full, normal or off")
            }
            synchronous = parsed
        }
        if let capacity = file.customerCacheCapacity { customerCacheCapacity = capacity }
        if let path = file.masterKeyFile { masterKey = .file(path) }
        if let path = file.previousMasterKeyFile { previousMasterKeys = [.file(path)] }
        if let policy = file.segmentation { segmentation = policy }
        if let policy = file.interactions { interactions = policy }
        if let settings = file.segmentSweep { segmentSweep = settings }
        if let policy = file.recommendations { recommendations = policy }
        if let days = file.consentBackdatingDays {
            guard days.isFinite, (0...3650).contains(days) else {
                throw ConfigurationError("consent_backdating_days \(days) is outside 0...3650")
            }
            consentBackdatingWindow = days * 86_400
        }
        switch (file.tlsCert, file.tlsKey) {
        case (nil, nil):
            break
        case (let cert?, let key?):
            server.tls = ServerTLS(certificateChainPath: cert, privateKeyPath: key, clientCAPath: server.tls?.clientCAPath)
        default:
            throw ConfigurationError("TLS needs both a certificate (tls_cert / --tls-cert) and a key (tls_key / --tls-key)")
        }
        try applySecurity(file)
    }

    /// Refuses values the daemon cannot run with, naming the setting.
    public func validate() throws {
        guard (0...65_535).contains(server.port) else {
            throw ConfigurationError("port \(server.port) is outside 0...65535")
        }
        guard (1_024...(1 << 30)).contains(server.limits.maxFrameSize) else {
            throw ConfigurationError("max frame size \(server.limits.maxFrameSize) is outside 1024...1073741824 bytes")
        }
        guard server.limits.maxConcurrentCallsPerConnection >= 1 else {
            throw ConfigurationError("max concurrent calls must be at least 1")
        }
        try validateTransportLimits()
        try validateSecurity()
        guard Self.customerCacheCapacityRange.contains(customerCacheCapacity) else {
            let range = Self.customerCacheCapacityRange
            throw ConfigurationError(
                "customer_cache_capacity \(customerCacheCapacity) is outside \(range.lowerBound)...\(range.upperBound) (0 turns the cache off)")
        }
        guard !dataDirectory.isEmpty else {
            throw ConfigurationError("data directory must not be empty")
        }
        if let problem = segmentation.problems.first {
            throw ConfigurationError("segmentation: \(problem)")
        }
        if let problem = segmentSweep.problems.first {
            throw ConfigurationError("segment_sweep: \(problem)")
        }
        let interactionProblems = interactions.problems
        if !interactionProblems.isEmpty {
            throw ConfigurationError("interactions: \(interactionProblems.joined(separator: "; "))")
        }
        let recommendationProblems = recommendations.problems
        if !recommendationProblems.isEmpty {
            throw ConfigurationError("recommendations: \(recommendationProblems.joined(separator: "; "))")
        }
    }

    /// A swift-log level from its name (trace, debug, info, notice, warning, error, critical).
    public static func logLevel(named name: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            throw ConfigurationError("unknown log level '\(name)'; use trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    /// A positive duration from seconds.
    public static func duration(_ seconds: Double, _ name: String) throws -> Duration {
        guard seconds > 0, seconds.isFinite else {
            throw ConfigurationError("\(name) must be a positive number of seconds, not \(seconds)")
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}
