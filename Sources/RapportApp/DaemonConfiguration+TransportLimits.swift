import RapportServer

extension DaemonConfiguration {
    /// The write-queue bounds `max_queued_write_bytes` accepts: 64 KiB (NIO's own default
    /// high-water mark) to 1 GiB.
    public static let maxQueuedWriteBytesRange = (64 * 1024)...(1 << 30)
    /// The listen backlogs `listen_backlog` accepts (the kernel caps it at `net.core.somaxconn`).
    public static let listenBacklogRange = 1...65_535

    /// The connection limits of a config file (or flags): write queue, stalls, frame reads, connections, backlog.
    mutating func applyTransportLimits(_ file: DaemonConfigFile) throws {
        if let bytes = file.maxQueuedWriteBytes { server.limits.maxQueuedWriteBytes = bytes }
        if let seconds = file.writeStallTimeoutSeconds {
            server.limits.writeStallTimeout = try Self.duration(seconds, "write_stall_timeout_seconds")
        }
        if let seconds = file.frameReadTimeoutSeconds {
            server.limits.frameReadTimeout = try Self.duration(seconds, "frame_read_timeout_seconds")
        }
        if let count = file.maxConnections { server.limits.maxConnections = count }
        if let backlog = file.listenBacklog { server.listenBacklog = backlog }
    }

    func validateTransportLimits() throws {
        let queued = server.limits.maxQueuedWriteBytes
        guard Self.maxQueuedWriteBytesRange.contains(queued) else {
            throw ConfigurationError("max queued write bytes \(queued) is outside 65536...1073741824")
        }
        guard server.limits.maxConnections >= 1 else {
            throw ConfigurationError("max connections must be at least 1")
        }
        guard Self.listenBacklogRange.contains(server.listenBacklog) else {
            throw ConfigurationError("listen backlog \(server.listenBacklog) is outside 1...65535")
        }
    }
}
