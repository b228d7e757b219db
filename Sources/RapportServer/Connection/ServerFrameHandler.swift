import NIOCore
import RapportWire

/// Hands each decoded frame to its connection on the event loop, where calls are admitted,
/// cancelled and pinged without a hop to a reader task. Frames are not passed on; errors other
/// than protocol violations are, so the connection's task learns that the connection failed.
///
/// It also applies the connection's write backpressure: while the channel is not writable (its
/// unsent answers exceed `maxQueuedWriteBytes`, the channel's high-water mark) it holds the
/// channel's reads, so the client's further requests wait in the kernel rather than start calls
/// whose answers would queue without bound; once the answers drain below the low-water mark the
/// held read goes on. A connection that stays unwritable for `writeStallTimeout` is closed.
final class ServerFrameHandler: ChannelDuplexHandler {
    typealias InboundIn = Rapport_Wire_V1_Frame
    typealias InboundOut = Rapport_Wire_V1_Frame
    typealias OutboundIn = Rapport_Wire_V1_Frame
    typealias OutboundOut = Rapport_Wire_V1_Frame

    private let connection: ServerConnection
    /// Set once the connection is closing (a protocol violation, a stall): it reads nothing more
    /// into calls, and its reads are no longer held, so the peer's close is seen.
    private var closing = false
    /// A read the channel asked for while unwritable, issued once it is writable again.
    private var heldRead = false
    private var stallTimer: Scheduled<Void>?
    /// Whether the client certificate was looked for; done at the first frame, which can only
    /// arrive once the TLS handshake (and with it the certificate's verification) is over.
    private var certificateChecked = false

    init(connection: ServerConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        if !certificateChecked {
            certificateChecked = true
            if let names = CertificateNames.ofPeer(in: context.pipeline.syncOperations) {
                connection.security?.credentials.adoptCertificate(names: names)
            }
        }
        do {
            try connection.receive(unwrapInboundIn(data))
        } catch let violation as WireProtocolError {
            close(context: context)
            connection.protocolViolation(violation)
        } catch {
            context.fireErrorCaught(error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let violation = error as? WireProtocolError {
            guard !closing else { return }
            close(context: context)
            connection.protocolViolation(violation)
        } else {
            context.fireErrorCaught(error)
        }
    }

    func read(context: ChannelHandlerContext) {
        if closing || context.channel.isWritable {
            context.read()
        } else {
            heldRead = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stallTimer?.cancel()
            stallTimer = nil
            releaseHeldRead(context: context)
        } else if stallTimer == nil, !closing {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            stallTimer = context.eventLoop.scheduleTask(in: TimeAmount(connection.limits.writeStallTimeout)) {
                let (handler, context) = bound.value
                guard handler.stallTimer != nil, !handler.closing else { return }
                handler.stallTimer = nil
                handler.close(context: context)
                handler.connection.closeStalled()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stallTimer?.cancel()
        stallTimer = nil
    }

    private func releaseHeldRead(context: ChannelHandlerContext) {
        guard heldRead else { return }
        heldRead = false
        context.read()
    }

    /// From now on frames are dropped and reads flow, so the peer's close ends the connection.
    private func close(context: ChannelHandlerContext) {
        closing = true
        stallTimer?.cancel()
        stallTimer = nil
        releaseHeldRead(context: context)
    }
}
