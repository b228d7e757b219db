import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Server-streaming calls")
struct StreamingTests {
    @Test func streamDeliversEveryMessageThenEnds() async throws {
        try await TestDaemon.run(extraServices: [TestDoubles()]) { daemon in
            let client = try await daemon.makeClient()
            var received: [Data] = []
            for try await message in try await client.serverStreaming(TestDoubles.stream, .with {
                $0.payload = Data("tick".utf8)
                $0.delayMs = 5
            }) {
                received.append(message.payload)
            }
            #expect(received == Array(repeating: Data("tick".utf8), count: 5))
            await client.close()
        }
    }

    @Test func healthWatchSendsTheCurrentStatusThenEachChange() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let service = Rapport_Diagnostics_V1_Diagnostics.name
            let stream = try await client.serverStreaming(Rapport_Health_V1_Health.Method.watch, .with { $0.service = service })
            var iterator = stream.makeAsyncIterator()
            #expect(try await iterator.next()?.status == .serving)
            daemon.daemon.health.setStatus(.notServing, for: service)
            #expect(try await iterator.next()?.status == .notServing)
            await client.close()
        }
    }

    @Test func watchWithADeadlineEndsWithDeadlineExceeded() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let stream = try await client.serverStreaming(
                // Long enough for the first status to arrive on a loaded 2-core CI run (1 s was not).
                Rapport_Health_V1_Health.Method.watch, .init(), options: .init(timeout: .milliseconds(3000)))
            var statuses: [Rapport_Health_V1_HealthCheckResponse.ServingStatus] = []
            let error = await rpcError {
                for try await message in stream { statuses.append(message.status) }
            }
            #expect(statuses == [.serving])
            #expect(error?.code == .deadlineExceeded)
            await client.close()
        }
    }

    @Test func abandoningAStreamCancelsTheHandler() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let client = try await daemon.makeClient()
            let consumer = Task {
                for try await _ in try await client.serverStreaming(TestDoubles.streamThenHang, EchoRequest()) {}
            }
            #expect(await doubles.started.wait(for: 1))
            consumer.cancel()
            _ = await consumer.result
            #expect(await doubles.cancellations.wait(for: 1))
            await client.close()
        }
    }
}
