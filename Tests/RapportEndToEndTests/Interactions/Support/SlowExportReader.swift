import Foundation
import NIOCore
import NIOPosix
import RapportProto
import RapportWire

/// Reads an ExportInteractions stream over a bare connection at the test's own pace.
///
/// NIOAsyncChannel reads from the socket only as the test takes what it read, so a slow reader
/// is slow on the wire and the daemon must wait for it. (The Swift client reads eagerly into an
/// unbounded buffer, since the protocol has no flow control; a slow consumer of it is slow only
/// inside the test process.)
enum SlowExportReader {
    static let method = "/rapport.v1.InteractionService/ExportInteractions"

    /// Streams `request` from the daemon on `port`, handing `receive` each interaction with its
    /// index in order; returns the status that ended the stream.
    static func export(
        port: Int, token: String?, _ request: Rapport_V1_ExportInteractionsRequest,
        receive: (Int, Rapport_V1_Interaction) async throws -> Void
    ) async throws -> Rapport_Wire_V1_Status {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let payload: [UInt8] = try request.serializedBytes()
            let call = RawConnection.request(callID: 1, method: method, payload: payload, token: token)
            try await outbound.write(ByteBuffer(bytes: try RawConnection.encode(call)))
            var pending = ByteBuffer()
            var received = 0
            for try await bytes in inbound {
                var bytes = bytes
                pending.writeBuffer(&bytes)
                while let frame = try nextFrame(from: &pending) {
                    guard case .response(let response) = frame.kind else { continue }
                    if response.endOfStream { return response.status }
                    try await receive(received, try Rapport_V1_Interaction(serializedBytes: response.payload))
                    received += 1
                }
                pending.discardReadBytes()
            }
            throw EndedEarly(received: received)
        }
    }

    /// The next whole frame in `buffer`, consuming it; nil when the frame has not fully arrived.
    private static func nextFrame(from buffer: inout ByteBuffer) throws -> Rapport_Wire_V1_Frame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self),
              buffer.readableBytes >= 4 + Int(length)
        else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let body = buffer.readBytes(length: Int(length)) ?? []
        return try Rapport_Wire_V1_Frame(serializedBytes: body)
    }

    /// The connection closed before the stream's status.
    struct EndedEarly: Error {
        let received: Int
    }
}
