import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test func inFlightCallFinishesAndNewCallsAreRefused() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let client = try await daemon.makeClient()
            let inFlight = Task {
                try await client.unary(TestDoubles.slowEcho, .with {
                    $0.payload = Data("finish me".utf8)
                    $0.delayMs = 500
                })
            }
            #expect(await doubles.started.wait(for: 1))
            let shutdown = Task { await daemon.shutDown() }
            // Calls made before the drain begins still succeed; once it has begun they are refused.
            var refusal: RPCError?
            let refused = await eventually {
                do {
                    _ = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())
                    return false
                } catch {
                    refusal = error as? RPCError
                    return true
                }
            }
            #expect(refused)
            #expect(refusal?.code == .unavailable)
            let response = try await inFlight.value
            #expect(response.payload == Data("finish me".utf8))
            await shutdown.value
            await client.close()
        }
    }

    @Test func callsStillRunningAfterTheGracePeriodGetUnavailable() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(
            configure: { $0.server.limits.shutdownGracePeriod = .milliseconds(300) },
            extraServices: [doubles]
        ) { daemon in
            let client = try await daemon.makeClient()
            let hanging = Task { try await client.unary(TestDoubles.hang, EchoRequest()) }
            #expect(await doubles.started.wait(for: 1))
            let started = ContinuousClock.now
            await daemon.shutDown()
            let error = await rpcError { _ = try await hanging.value }
            #expect(error?.code == .unavailable)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(await doubles.cancellations.wait(for: 1))
            await client.close()
        }
    }

    @Test func healthTurnsNotServingAtShutdown() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let client = try await daemon.makeClient()
            let watch = try await client.serverStreaming(Rapport_Health_V1_Health.Method.watch, .init())
            var iterator = watch.makeAsyncIterator()
            #expect(try await iterator.next()?.status == .serving)
            let keepOpen = Task { try await client.unary(TestDoubles.hang, EchoRequest()) }
            #expect(await doubles.started.wait(for: 1))
            let shutdown = Task { await daemon.shutDown() }
            #expect(try await iterator.next()?.status == .notServing)
            keepOpen.cancel()
            _ = await keepOpen.result
            await shutdown.value
            await client.close()
        }
    }
}
