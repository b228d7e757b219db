/// Where the server listens and the limits it enforces on every connection.
public struct ServerConfiguration: Sendable {
    /// The address to bind; 127.0.0.1 unless the daemon is meant to be reachable from elsewhere.
    public var host: String
    /// The TCP port; 0 picks a free one (see `Server.listeningAddress()`).
    public var port: Int
    public var limits: Limits
    /// TLS on every connection; nil serves plain TCP.
    public var tls: ServerTLS?

    public init(host: String = "127.0.0.1", port: Int = 0, limits: Limits = .defaults, tls: ServerTLS? = nil) {
        self.host = host
        self.port = port
        self.limits = limits
        self.tls = tls
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

        public init(
            maxFrameSize: Int = 4 * 1024 * 1024,
            maxConcurrentCallsPerConnection: Int = 128,
            idleTimeout: Duration = .seconds(300),
            shutdownGracePeriod: Duration = .seconds(10)
        ) {
            self.maxFrameSize = maxFrameSize
            self.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection
            self.idleTimeout = idleTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
        }

        public static var defaults: Limits { Limits() }
    }
}
