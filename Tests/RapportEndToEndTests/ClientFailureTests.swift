import NIOCore
import NIOPosix
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("The Swift client when the connection fails")
struct ClientFailureTests {
    @Test func connectingToAClosedPortIsUnavailable() async throws {
        let refusing = try RefusingPort()
        let error = await rpcError { _ = try await RapportClient.connect(host: "127.0.0.1", port: refusing.port) }
        #expect(error?.code == .unavailable)
    }

    @Test func droppedConnectionFailsEveryInFlightCallWithUnavailable() async throws {
        // A peer that accepts, reads the first bytes, then hangs up without answering.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(listener.channel.localAddress?.port)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        try await connection.executeThenClose { bytes, _ in
                            var iterator = bytes.makeAsyncIterator()
                            _ = try await iterator.next()
                            try await Task.sleep(for: .milliseconds(200))
                        }
                        return
                    }
                }
            }
            let client = try await RapportClient.connect(host: "127.0.0.1", port: port)
            let calls = (0..<3).map { _ in
                Task { try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest()) }
            }
            for call in calls {
                let error = await rpcError { _ = try await call.value }
                #expect(error?.code == .unavailable)
            }
            #expect(client.isClosed)
            let later = await rpcError { _ = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest()) }
            #expect(later?.code == .unavailable)
            try await group.waitForAll()
        }
    }
}
