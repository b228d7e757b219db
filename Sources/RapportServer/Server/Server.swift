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

    public init(configuration: ServerConfiguration, registry: MethodRegistry, health: HealthMonitor, logger: Logger) {
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
        let limits = configuration.limits
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            let tls = try configuration.tls?.makeContext()
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                        }
                        let outbound = try CoalescingFrameWriter.install(on: channel)
                        try channel.pipeline.syncOperations.addRapportFrameCodec(maxFrameSize: limits.maxFrameSize)
                        let connection = self.makeConnection(for: channel, outbound: outbound)
                        try channel.pipeline.syncOperations.addHandler(ServerFrameHandler(connection: connection))
                        return AcceptedConnection(
                            channel: try NIOAsyncChannel<Frame, Frame>(wrappingChannelSynchronously: channel),
                            connection: connection
                        )
                    }
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
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.beginShutdown(listener: listener.channel)
        }
        logger.info("server stopped")
    }

    /// A connection's state, made on its event loop as it is accepted, before any frame is read.
    private func makeConnection(for channel: any Channel, outbound: CoalescingFrameWriter) -> ServerConnection {
        let id = connections.nextID()
        var logger = self.logger
        logger[metadataKey: "connection"] = "\(id)"
        logger[metadataKey: "peer"] = "\(channel.remoteAddress.map { "\($0)" } ?? "unknown")"
        return ServerConnection(
            id: id, registry: registry, services: services, limits: configuration.limits, logger: logger,
            outbound: outbound
        )
    }

    private func serve(_ accepted: AcceptedConnection) async {
        let connection = accepted.connection
        let logger = connection.logger
        logger.info("connection opened")
        do {
            try await accepted.channel.executeThenClose { inbound, _ in
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

/// An accepted channel and the connection serving it.
private struct AcceptedConnection: Sendable {
    let channel: NIOAsyncChannel<Rapport_Wire_V1_Frame, Rapport_Wire_V1_Frame>
    let connection: ServerConnection
}
