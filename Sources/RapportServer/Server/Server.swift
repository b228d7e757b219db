import Logging
import NIOCore
import NIOPosix
import NIOSSL
import RapportWire
import ServiceLifecycle
import Synchronization

/// The Rapport server: accepts TCP connections and serves the registered methods on each.
///
/// Run it as a swift-service-lifecycle `Service`: on graceful shutdown it stops accepting,
/// sends GoAway on every connection, lets in-flight calls finish within the grace period,
/// then cancels what is left and returns.
///
/// What a client may hold is bounded by `ServerConfiguration.Limits`: connections beyond
/// `maxConnections` are refused with GoAway, a connection whose client leaves its answers unread
/// stops being read (`maxQueuedWriteBytes`, `writeStallTimeout`), and a frame must arrive within
/// `frameReadTimeout`. A connection that fails or breaks the protocol ends alone.
public final class Server: Service, Sendable {
    typealias Frame = Rapport_Wire_V1_Frame

    private let configuration: ServerConfiguration
    private let registry: MethodRegistry
    /// The registry's services, sorted once rather than per connection.
    private let services: [ServiceDescriptor]
    private let health: HealthMonitor
    private let logger: Logger
    private let connections = ConnectionSet()
    private let address = ListeningAddress()
    /// Authentication and access control; nil serves every caller (tests of the transport alone).
    private let security: ServerSecurity?
    /// Calls in flight per principal, across connections.
    private let principalCalls = PrincipalCallCounter()

    /// - Throws: `MissingAccessRuleError` when `security` has no access rule for a registered method.
    public init(
        configuration: ServerConfiguration, registry: MethodRegistry, health: HealthMonitor, logger: Logger,
        security: ServerSecurity?
    ) throws {
        if let missing = security?.missingAccess(in: registry), !missing.isEmpty {
            throw MissingAccessRuleError(paths: missing)
        }
        self.security = security
        self.configuration = configuration
        self.registry = registry
        self.services = registry.services
        self.health = health
        self.logger = logger
    }

    /// The address the server listens on, once it is bound (the real port when configured with 0).
    public func listeningAddress() async throws -> SocketAddress {
        try await address.wait()
    }

    public func run() async throws {
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            let tls = try configuration.tls?.makeContext()
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: Int32(clamping: configuration.listenBacklog))
                .bind(host: configuration.host, port: configuration.port) { channel in
                    // Never fails (see `setUp`): a child option or initializer that failed would end
                    // the accept loop, and with it the server, for one connection's sake.
                    channel.eventLoop.makeSucceededFuture(self.setUp(channel, tls: tls))
                }
        } catch {
            address.fail(error)
            throw error
        }
        guard let bound = listener.channel.localAddress else {
            throw RPCError(code: .internal, message: "listener has no local address")
        }
        address.publish(bound)
        for service in services {
            health.setStatus(.serving, for: service.name)
        }
        health.setStatus(.serving, for: "")
        logger.info(
            "listening on \(bound.ipAddress ?? configuration.host):\(bound.port ?? configuration.port)",
            metadata: ["port": "\(bound.port ?? configuration.port)", "tls": "\(configuration.tls != nil)"]
        )

        try await withGracefulShutdownHandler {
            try await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await accepted in inbound {
                        group.addTask { await self.serve(accepted) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.beginShutdown(listener: listener.channel)
        }
        logger.info("server stopped")
    }

    /// Prepares an accepted channel, on its event loop, before any byte is read: socket options,
    /// TLS, framing and the connection's state, or the refusal of a connection beyond
    /// `maxConnections`. A failure closes that channel alone; the server accepts on.
    private func setUp(_ channel: any Channel, tls: NIOSSLContext?) -> AcceptedConnection {
        let limits = configuration.limits
        let admitted = connections.reserve(limit: limits.maxConnections)
        do {
            let options = channel.syncOptions
            try options?.setOption(.tcpOption(.tcp_nodelay), value: 1)
            // The channel turns unwritable past the bound, which holds its reads (`ServerFrameHandler`).
            let highWater = max(limits.maxQueuedWriteBytes, 2)
            try options?.setOption(.writeBufferWaterMark, value: .init(low: highWater / 2, high: highWater))
            if let tls {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
            }
            let outbound = try CoalescingFrameWriter.install(on: channel, queueLimit: limits.maxQueuedWriteBytes)
            guard admitted else {
                try channel.pipeline.syncOperations.addHandler(DiscardingHandler())
                return .refused(try NIOAsyncChannel(wrappingChannelSynchronously: channel), outbound)
            }
            try channel.pipeline.syncOperations.addRapportFrameCodec(
                maxFrameSize: limits.maxFrameSize, frameTimeout: limits.frameReadTimeout)
            let connection = makeConnection(for: channel, outbound: outbound)
            try channel.pipeline.syncOperations.addHandler(ServerFrameHandler(connection: connection))
            return .serving(try NIOAsyncChannel(wrappingChannelSynchronously: channel), connection)
        } catch {
            if admitted { connections.release() }
            logger.warning("connection setup failed; closing it", metadata: ["error": "\(error)"])
            channel.close(promise: nil)
            return .failed
        }
    }

    /// A connection's state, made on its event loop as it is accepted, before any frame is read.
    private func makeConnection(for channel: any Channel, outbound: CoalescingFrameWriter) -> ServerConnection {
        let id = connections.nextID()
        var logger = self.logger
        logger[metadataKey: "connection"] = "\(id)"
        logger[metadataKey: "peer"] = "\(channel.remoteAddress.map { "\($0)" } ?? "unknown")"
        let connectionSecurity = security.map {
            ConnectionSecurity(
                rules: $0, counter: principalCalls, credentials: ConnectionCredentials(authenticator: $0.authenticator))
        }
        return ServerConnection(
            id: id, registry: registry, services: services, limits: configuration.limits, logger: logger,
            outbound: outbound, security: connectionSecurity, peer: channel.remoteAddress.flatMap(Self.peerText)
        )
    }

    /// "ip:port" ("[ip]:port" for IPv6), as the audit trail records a peer.
    static func peerText(_ address: SocketAddress) -> String? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// Calls in flight for `principal` across every connection (for tests of the limit).
    public func callsInFlight(of principal: String) -> Int {
        principalCalls.inFlight(principal)
    }

    private func serve(_ accepted: AcceptedConnection) async {
        switch accepted {
        case .serving(let channel, let connection):
            await serve(connection, on: channel)
            connections.release()
        case .refused(let channel, let outbound):
            await refuse(channel, outbound: outbound)
        case .failed:
            break
        }
    }

    private func serve(_ connection: ServerConnection, on channel: NIOAsyncChannel<Frame, Frame>) async {
        let logger = connection.logger
        logger.info("connection opened")
        do {
            try await channel.executeThenClose { inbound, _ in
                if connections.insert(connection) {
                    connection.drain()
                }
                await connection.run(inbound: inbound)
                connections.remove(connection)
            }
        } catch {
            logger.debug("connection close failed", metadata: ["error": "\(type(of: error))"])
        }
        logger.info("connection closed")
    }

    /// How long a refused connection waits for its client to read the GoAway and close.
    private static let refusalLinger: Duration = .seconds(1)

    /// Answers a connection beyond `maxConnections` with GoAway RESOURCE_EXHAUSTED and closes it,
    /// reading nothing it sent.
    private func refuse(_ channel: NIOAsyncChannel<Frame, Frame>, outbound: CoalescingFrameWriter) async {
        let limit = configuration.limits.maxConnections
        logger.warning(
            "connection refused: too many connections",
            metadata: [
                "peer": "\(channel.channel.remoteAddress.map { "\($0)" } ?? "unknown")", "max_connections": "\(limit)",
            ])
        try? await channel.executeThenClose { _, _ in
            outbound.write(
                .goAway(.resourceExhausted, "the server's limit of \(limit) open connections is reached; retry later", lastCallID: 0))
            await outbound.finishOutput(lingering: Self.refusalLinger)
        }
    }

    /// Per open connection, what it holds for its client: answers queued for writing and whether
    /// its reading is held until the client reads them.
    public func connectionStatistics() async -> [ConnectionStatistics] {
        var statistics: [ConnectionStatistics] = []
        for connection in connections.all() {
            statistics.append(await connection.statistics())
        }
        return statistics.sorted { $0.id < $1.id }
    }

    private func beginShutdown(listener: any Channel) {
        logger.info("shutting down", metadata: ["grace_period": "\(configuration.limits.shutdownGracePeriod)"])
        health.markAllNotServing()
        listener.close(promise: nil)
        let open = connections.beginDraining()
        let grace = configuration.limits.shutdownGracePeriod
        Task {
            await withTaskGroup(of: Void.self) { group in
                for connection in open {
                    group.addTask { connection.drain() }
                }
            }
            try? await Task.sleep(for: grace)
            for connection in self.connections.all() {
                connection.forceClose()
            }
        }
    }
}

/// An accepted channel as `Server.setUp` left it.
private enum AcceptedConnection: Sendable {
    /// Framed and ready to serve.
    case serving(NIOAsyncChannel<Rapport_Wire_V1_Frame, Rapport_Wire_V1_Frame>, ServerConnection)
    /// Beyond the connection limit: gets a GoAway, and what it sends is discarded.
    case refused(NIOAsyncChannel<Rapport_Wire_V1_Frame, Rapport_Wire_V1_Frame>, CoalescingFrameWriter)
    /// Its setup failed and it was closed.
    case failed
}

/// Drops every byte a refused connection sends, so none reaches the typed frame stream.
private final class DiscardingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
