import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Per-connection limits")
struct LimitTests {
    @Test func callBeyondTheConcurrencyLimitIsResourceExhaustedAndTheConnectionStays() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(
            configure: { $0.server.limits.maxConcurrentCallsPerConnection = 2 },
            extraServices: [doubles]
        ) { daemon in
            let client = try await daemon.makeClient()
            let hanging = (0..<2).map { _ in Task { try await client.unary(TestDoubles.hang, EchoRequest()) } }
            #expect(await doubles.started.wait(for: 2))
            let error = await rpcError { _ = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest()) }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.message.contains("limit 2") == true)
            _ = try await client.ping()
            for call in hanging { call.cancel() }
            for call in hanging { _ = await call.result }
            #expect(await doubles.cancellations.wait(for: 2))
            // The server frees a slot once it has answered the cancelled call; then calls go through again.
            var freed = false
            for _ in 0..<50 where !freed {
                freed = (try? await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())) != nil
                if !freed { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(freed)
            await client.close()
        }
    }

    @Test func idleConnectionIsClosedWithGoAway() async throws {
        try await TestDaemon.run(configure: { $0.server.limits.idleTimeout = .milliseconds(300) }) { daemon in
            let exchange = try await RawConnection.exchange(port: daemon.port, sending: [], timeout: .seconds(3))
            #expect(exchange.serverClosed)
            #expect(exchange.goAway?.status.code == StatusCode.unavailable.rawValue)
        }
    }

    @Test func connectionWithACallInFlightIsNotIdle() async throws {
        try await TestDaemon.run(configure: { $0.server.limits.idleTimeout = .seconds(1) }) { daemon in
            let client = try await daemon.makeClient()
            let response = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, .with {
                $0.payload = Data("still here".utf8)
                $0.delayMs = 2500
            })
            #expect(response.payload == Data("still here".utf8))
            await client.close()
        }
    }

    @Test func clientSeesTheIdleCloseAndFailsLaterCallsCleanly() async throws {
        try await TestDaemon.run(configure: { $0.server.limits.idleTimeout = .milliseconds(200) }) { daemon in
            let client = try await daemon.makeClient()
            #expect(await eventually { client.isClosed })
            let error = await rpcError { _ = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest()) }
            #expect(error?.code == .unavailable)
        }
    }
}
