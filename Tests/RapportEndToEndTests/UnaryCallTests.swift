import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Unary calls through the Swift client")
struct UnaryCallTests {
    let echo = Rapport_Diagnostics_V1_Diagnostics.Method.echo

    @Test func echoReturnsThePayload() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let response = try await client.unary(echo, .with { $0.payload = Data("hello".utf8) })
            #expect(response.payload == Data("hello".utf8))
            let empty = try await client.unary(echo, EchoRequest())
            #expect(empty.payload.isEmpty)
            await client.close()
        }
    }

    @Test func callsAreMultiplexedAndAnsweredInCompletionOrder() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let client = try await daemon.makeClient()
            let names = ["slow", "medium", "fast"]
            var calls: [String: Task<String, any Error>] = [:]
            for name in names {
                calls[name] = Task {
                    let response = try await client.unary(TestDoubles.gated, .with { $0.payload = Data(name.utf8) })
                    return String(decoding: response.payload, as: UTF8.self)
                }
            }
            // All three are in flight on the one connection before any is answered...
            #expect(await doubles.started.wait(for: 3))
            // ...and each answer arrives as soon as its handler finishes, while the calls sent
            // before it are still waiting at their gates.
            for name in names.reversed() {
                doubles.gates.open(name)
                let call = try #require(calls[name])
                #expect(try await call.value == name)
            }
            await client.close()
        }
    }

    @Test func manyConcurrentCallsOnOneConnection() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let payload = Data("call-\(index)".utf8)
                        let response = try await client.unary(self.echo, .with { $0.payload = payload })
                        #expect(response.payload == payload)
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
        }
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let error = await rpcError { _ = try await client.unaryRaw(path: "/rapport.nope.v1.Nope/Missing", payload: []) }
            #expect(error?.code == .unimplemented)
            #expect(error?.message.contains("/rapport.nope.v1.Nope/Missing") == true)
            // The connection is still usable.
            _ = try await client.unary(echo, EchoRequest())
            await client.close()
        }
    }

    @Test func undecodablePayloadIsInvalidArgument() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let error = await rpcError { _ = try await client.unaryRaw(path: echo.path, payload: [0xFF, 0xFF, 0xFF]) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("rapport.diagnostics.v1.EchoRequest") == true)
            await client.close()
        }
    }

    @Test func echoRefusesAnOverlongDelay() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let error = await rpcError { _ = try await client.unary(echo, .with { $0.delayMs = 60_001 }) }
            #expect(error?.code == .invalidArgument)
            await client.close()
        }
    }

    @Test func unexpectedHandlerErrorIsInternalWithoutDetails() async throws {
        try await TestDaemon.run(extraServices: [TestDoubles()]) { daemon in
            let client = try await daemon.makeClient()
            let error = await rpcError {
                _ = try await client.unary(TestDoubles.fail, EchoRequest(), options: .init(metadata: ["x-request-id": "req-42"]))
            }
            #expect(error?.code == .internal)
            #expect(error?.message.contains("req-42") == true)
            #expect(error?.message.contains("hunter2") == false)
            await client.close()
        }
    }

    @Test func responseLargerThanTheFrameLimitIsResourceExhausted() async throws {
        try await TestDaemon.run(configure: { $0.server.limits.maxFrameSize = 64 * 1024 }, extraServices: [TestDoubles()]) { daemon in
            let client = try await daemon.makeClient(configuration: .init(maxFrameSize: 64 * 1024))
            let error = await rpcError { _ = try await client.unary(TestDoubles.hugeResponse, .with { $0.delayMs = 100_000 }) }
            #expect(error?.code == .resourceExhausted)
            _ = try await client.unary(echo, EchoRequest())
            await client.close()
        }
    }

    /// The status always arrives: trailers that would break the frame limit are dropped, not sent.
    @Test func failureWithTrailersLargerThanTheFrameLimitKeepsItsStatus() async throws {
        try await TestDaemon.run(configure: { $0.server.limits.maxFrameSize = 64 * 1024 }, extraServices: [TestDoubles()]) { daemon in
            let client = try await daemon.makeClient(configuration: .init(maxFrameSize: 64 * 1024))
            let small = await rpcError { _ = try await client.unary(TestDoubles.hugeTrailers, .with { $0.delayMs = 1000 }) }
            #expect(small?.trailers["details"]?.count == 1000)
            let large = await rpcError { _ = try await client.unary(TestDoubles.hugeTrailers, .with { $0.delayMs = 100_000 }) }
            #expect(large?.code == .invalidArgument)
            #expect(large?.message.contains("trailers dropped") == true)
            #expect(large?.trailers.isEmpty == true)
            _ = try await client.unary(echo, EchoRequest())
            await client.close()
        }
    }

    @Test func requestLargerThanTheFrameLimitFailsLocally() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let error = await rpcError { _ = try await client.unary(echo, .with { $0.payload = Data(count: 5 * 1024 * 1024) }) }
            #expect(error?.code == .resourceExhausted)
            let response = try await client.unary(echo, .with { $0.payload = Data(count: 3 * 1024 * 1024) })
            #expect(response.payload.count == 3 * 1024 * 1024)
            await client.close()
        }
    }

    @Test func pingIsAnswered() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let roundTrip = try await client.ping()
            #expect(roundTrip < .seconds(5))
            await client.close()
        }
    }
}
