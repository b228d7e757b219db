import NIOCore
import RapportWire

/// Hands each decoded frame to its connection on the event loop, where calls are admitted,
/// cancelled and pinged without a hop to a reader task. Frames are not passed on; errors other
/// than protocol violations are, so the connection's task learns that the connection failed.
final class ServerFrameHandler: ChannelInboundHandler {
    typealias InboundIn = Rapport_Wire_V1_Frame
    typealias InboundOut = Rapport_Wire_V1_Frame

    private let connection: ServerConnection
    /// Set after a protocol violation: the connection is closing and reads nothing more.
    private var closing = false

    init(connection: ServerConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        do {
            try connection.receive(unwrapInboundIn(data))
        } catch let violation as WireProtocolError {
            closing = true
            connection.protocolViolation(violation)
        } catch {
            context.fireErrorCaught(error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let violation = error as? WireProtocolError {
            guard !closing else { return }
            closing = true
            connection.protocolViolation(violation)
        } else {
            context.fireErrorCaught(error)
        }
    }
}
