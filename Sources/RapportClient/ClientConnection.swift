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
    /// The `authorization` metadata value every call carries; nil for none.
    private let authorization: String?

    static func connect(host: String, port: Int, configuration: ClientConfiguration) async throws(RPCError) -> ClientConnection {
        let endpoint = "\(host):\(port)"
        let maxFrameSize = configuration.maxFrameSize
        do {
            let tls = try configuration.tls.map { try NIOSSLContext(configuration: $0.configuration) }
            let serverHostname = configuration.tls?.sniName(for: host)
            let connected = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                        }
                        let outbound = try CoalescingFrameWriter.install(on: channel)
                        try channel.pipeline.syncOperations.addRapportFrameCodec(maxFrameSize: maxFrameSize)
                        let calls = PendingCalls(outbound: outbound, endpoint: endpoint, maxFrameSize: maxFrameSize)
                        try channel.pipeline.syncOperations.addHandler(ClientFrameHandler(calls: calls))
                        return ConnectedChannel(channel: channel, calls: calls)
                    }
                }
            return ClientConnection(
                channel: connected.channel, calls: connected.calls, authorization: configuration.bearerToken.map { "Bearer \($0)" })
        } catch {
            throw RPCError(code: .unavailable, message: ConnectFailure.describe(error, endpoint: endpoint), cause: error)
        }
    }

    private init(channel: any Channel, calls: PendingCalls, authorization: String?) {
        self.calls = calls
        self.channel = channel
        self.authorization = authorization
    }

    /// A call's metadata with the connection's credential added, unless the call brings its own.
    func metadata(_ metadata: [String: String]) -> [String: String] {
        guard let authorization, metadata["authorization"] == nil else { return metadata }
        var metadata = metadata
        metadata["authorization"] = authorization
        return metadata
    }

    /// Fails what is in flight with "client closed", closes the channel and waits until it is
    /// closed, so no work of this connection outlives the call.
    func close() async {
        calls.shutDown()
        channel.close(promise: nil)
        try? await channel.closeFuture.get()
    }
}

/// A connected channel and the registry of its calls.
private struct ConnectedChannel: Sendable {
    let channel: any Channel
    let calls: PendingCalls
}

/// Routes each inbound frame to the connection's calls on the event loop, as it is decoded;
/// the end of the connection (or a read that failed) fails whatever is still waiting.
private final class ClientFrameHandler: ChannelInboundHandler {
    typealias InboundIn = Rapport_Wire_V1_Frame
    typealias Frame = Rapport_Wire_V1_Frame

    private let calls: PendingCalls

    init(calls: PendingCalls) {
        self.calls = calls
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if case .response(let response) = frame.kind, response.endOfStream {
            // Final answers of one read are handed over together, under one lock.
            finals.append(response)
            return
        }
        deliverFinals()
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

    func channelReadComplete(context: ChannelHandlerContext) {
        deliverFinals()
        context.fireChannelReadComplete()
    }

    /// Final Responses read but not yet handed over; delivered in order before any other frame.
    private var finals: [Rapport_Wire_V1_Response] = []

    private func deliverFinals() {
        guard !finals.isEmpty else { return }
        let batch = finals
        finals.removeAll(keepingCapacity: true)
        calls.receiveFinal(batch)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        deliverFinals()
        calls.connectionLost(error: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deliverFinals()
        calls.connectionLost(error: nil)
        context.fireChannelInactive()
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
