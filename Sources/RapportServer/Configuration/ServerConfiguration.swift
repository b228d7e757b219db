/// Where the server listens and the limits it enforces on every connection.
public struct ServerConfiguration: Sendable {
    /// The address to bind; 127.0.0.1 unless the daemon is meant to be reachable from elsewhere.
    public var host: String
    /// The TCP port; 0 picks a free one (see `Server.listeningAddress()`).
    public var port: Int
    public var limits: Limits
    /// TLS on every connection; nil serves plain TCP.
    public var tls: ServerTLS?
    /// Connections the kernel completes and queues before the server accepts them. A burst of
    /// connects beyond it waits for SYN retransmits (a second or more), so the default is well
    /// above NIO's 128; the kernel caps it at `net.core.somaxconn`.
    public var listenBacklog: Int

    public init(
        host: String = "127.0.0.1", port: Int = 0, limits: Limits = .defaults, tls: ServerTLS? = nil,
        listenBacklog: Int = 1024
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.tls = tls
        self.listenBacklog = listenBacklog
    }

    /// The default configuration: 127.0.0.1, a free port, default limits.
    public static var defaults: ServerConfiguration { ServerConfiguration() }

    /// The limits each connection is held to, and what happens at each.
    public struct Limits: Sendable {
        /// The largest frame body accepted or sent; a larger inbound prefix closes the connection
        /// with GoAway RESOURCE_EXHAUSTED. 4 MiB, as gRPC's default receive limit.
        public var maxFrameSize: Int
        /// Calls in flight at once on one connection; the next gets RESOURCE_EXHAUSTED.
        public var maxConcurrentCallsPerConnection: Int
        /// A connection with no calls in flight and no frames for this long is closed.
        public var idleTimeout: Duration
        /// How long in-flight calls may run after a shutdown begins before they are cancelled.
        public var shutdownGracePeriod: Duration
        /// Answer bytes one connection may have waiting for its client to read them. Past it the
        /// server stops reading that connection's requests (so it starts no new calls) until the
        /// queue drains below half of it; streams wait rather than queue beyond it.
        public var maxQueuedWriteBytes: Int
        /// How long a connection's reading may stay stopped by `maxQueuedWriteBytes` before the
        /// connection is closed with GoAway RESOURCE_EXHAUSTED.
        public var writeStallTimeout: Duration
        /// A frame whose first byte has arrived must be complete within this time, or the
        /// connection is closed with GoAway DEADLINE_EXCEEDED, calls in flight or not.
        public var frameReadTimeout: Duration
        /// Connections open at once; a connection beyond it is sent GoAway RESOURCE_EXHAUSTED and closed.
        public var maxConnections: Int

        public init(
            maxFrameSize: Int = 4 * 1024 * 1024,
            maxConcurrentCallsPerConnection: Int = 128,
            idleTimeout: Duration = .seconds(300),
            shutdownGracePeriod: Duration = .seconds(10),
            maxQueuedWriteBytes: Int = 4 * 1024 * 1024,
            writeStallTimeout: Duration = .seconds(30),
            frameReadTimeout: Duration = .seconds(30),
            maxConnections: Int = 1024
        ) {
            self.maxFrameSize = maxFrameSize
            self.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection
            self.idleTimeout = idleTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
            self.maxQueuedWriteBytes = maxQueuedWriteBytes
            self.writeStallTimeout = writeStallTimeout
            self.frameReadTimeout = frameReadTimeout
            self.maxConnections = maxConnections
        }

        public static var defaults: Limits { Limits() }
    }
}
