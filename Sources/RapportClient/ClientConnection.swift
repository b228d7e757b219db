import NIOCore
import NIOPosix
import NIOSSL
import RapportWire

/// One TCP connection: the NIO channel, the task that owns it, and the registry of its calls.
///
/// The owning task reads inbound frames; frames go out through a coalescing writer from the
/// calling tasks. When the reader ends, every waiter is failed and the channel is closed.
final class ClientConnection: Sendable {
    typealias Frame = Rapport_Wire_V1_Frame

    let calls: PendingCalls
    private let channel: any Channel
    private let owner: Task<Void, Never>

    static func connect(host: String, port: Int, configuration: ClientConfiguration) async throws(RPCError) -> ClientConnection {
        let endpoint = "\(host):\(port)"
        let maxFrameSize = configuration.maxFrameSize
        do {
            let tls = try configuration.tls.map { try NIOSSLContext(configuration: $0.configuration) }
            let serverHostname = configuration.tls?.sniName(for: host)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                        }
                        try channel.pipeline.syncOperations.addRapportFrameCodec(maxFrameSize: maxFrameSize)
                        return try NIOAsyncChannel<Frame, Frame>(wrappingChannelSynchronously: channel)
                    }
                }
            return ClientConnection(channel: channel, endpoint: endpoint, maxFrameSize: maxFrameSize)
        } catch {
            throw RPCError(code: .unavailable, message: "cannot connect to \(endpoint): \(error)", cause: error)
        }
    }

    private init(channel: NIOAsyncChannel<Frame, Frame>, endpoint: String, maxFrameSize: Int) {
        let calls = PendingCalls(
            outbound: CoalescingFrameWriter(channel: channel.channel), endpoint: endpoint, maxFrameSize: maxFrameSize)
        self.calls = calls
        self.channel = channel.channel
        owner = Task {
            await Self.run(channel, calls: calls)
        }
    }

    /// Fails what is in flight with "client closed", closes the channel and waits for the
    /// owning task, so no work of this connection outlives the call.
    func close() async {
        calls.shutDown()
        channel.close(promise: nil)
        await owner.value
    }

    private static func run(_ channel: NIOAsyncChannel<Frame, Frame>, calls: PendingCalls) async {
        do {
            // Frames go out through `calls.outbound` straight to the channel; this task only reads.
            try await channel.executeThenClose { inbound, _ in
                do {
                    for try await frame in inbound {
                        dispatch(frame, to: calls)
                    }
                    calls.connectionLost(error: nil)
                } catch {
                    calls.connectionLost(error: error)
                }
            }
        } catch {
            calls.connectionLost(error: error)
        }
    }

    private static func dispatch(_ frame: Frame, to calls: PendingCalls) {
        switch frame.kind {
        case .response(let response):
            calls.receive(response)
        case .ping(let ping):
            var pong = Frame()
            pong.pong = .with { $0.nonce = ping.nonce }
            calls.send(pong)
        case .pong(let pong):
            calls.receivePong(nonce: pong.nonce)
        case .goAway(let goAway):
            calls.receiveGoAway(goAway)
        case .request, .cancel, nil:
            // Only a client sends these; a confused server is not worth dropping the connection for.
            break
        }
    }
}

extension TimeAmount {
    /// Saturates instead of trapping on durations beyond about 292 years.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        self = .nanoseconds(overflow || carry ? (seconds < 0 ? .min : .max) : total)
    }
}
