import Foundation
import NIOCore
import NIOPosix
import RapportWire

/// A bare TCP connection to the daemon for sending bytes no well-behaved client would.
struct RawConnection {
    typealias Frame = Rapport_Wire_V1_Frame

    /// Connects, writes `bytes`, then reads until the server closes (or `timeout`), returning the frames read.
    static func exchange(port: Int, sending bytes: [UInt8], timeout: Duration = .seconds(5)) async throws -> RawExchange {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            // Closing our side at the timeout ends the read loop; a close by the server ends it sooner.
            let timer = Task {
                try await Task.sleep(for: timeout)
                channel.channel.close(promise: nil)
                return true
            }
            var received = ByteBuffer()
            do {
                for try await chunk in inbound {
                    var chunk = chunk
                    received.writeBuffer(&chunk)
                }
            } catch {
                // A reset by the server is a close too.
            }
            timer.cancel()
            let closed = !((try? await timer.value) ?? false)
            return RawExchange(frames: try Self.frames(in: received), serverClosed: closed)
        }
    }

    /// Splits bytes into frames (length prefix + Frame).
    static func frames(in buffer: ByteBuffer) throws -> [Frame] {
        var buffer = buffer
        var frames: [Frame] = []
        while let length = buffer.readInteger(endianness: .big, as: UInt32.self),
              let body = buffer.readBytes(length: Int(length)) {
            frames.append(try Frame(serializedBytes: body))
        }
        return frames
    }

    /// One frame on the wire: 4-byte big-endian length + body.
    static func encode(_ frame: Frame) throws -> [UInt8] {
        let body: [UInt8] = try frame.serializedBytes()
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(body.count), endianness: .big)
        buffer.writeBytes(body)
        return Array(buffer.readableBytesView)
    }

    /// A Request frame; `token` is sent as `authorization: Bearer <token>` when given.
    static func request(callID: UInt64, method: String, payload: [UInt8] = [], token: String? = nil) -> Frame {
        .with {
            $0.request = .with {
                $0.callID = callID
                $0.method = method
                $0.payload = Data(payload)
                if let token { $0.metadata["authorization"] = "Bearer \(token)" }
            }
        }
    }
}

/// What the server sent before closing (or before the timeout).
struct RawExchange {
    let frames: [Rapport_Wire_V1_Frame]
    let serverClosed: Bool

    var goAway: Rapport_Wire_V1_GoAway? {
        frames.lazy.compactMap { frame -> Rapport_Wire_V1_GoAway? in
            if case .goAway(let goAway) = frame.kind { return goAway }
            return nil
        }.first
    }
}
