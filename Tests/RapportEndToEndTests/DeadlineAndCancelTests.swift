import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Deadlines and cancellation")
struct DeadlineAndCancelTests {
    @Test func callPastItsDeadlineIsDeadlineExceededAndItsHandlerIsCancelled() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let client = try await daemon.makeClient()
            let started = ContinuousClock.now
            let error = await rpcError {
                _ = try await client.unary(TestDoubles.hang, EchoRequest(), options: .init(timeout: .milliseconds(200)))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(await doubles.cancellations.wait(for: 1))
            await client.close()
        }
    }

    @Test func serverEnforcesTheDeadlineItIsSent() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            // A raw request with timeout_ms and no local timer: only the server can end it.
            var request = RawConnection.request(callID: 1, method: TestDoubles.hang.path)
            request.request.timeoutMs = 150
            let exchange = try await RawConnection.exchange(
                port: daemon.port, sending: try RawConnection.encode(request), timeout: .seconds(2))
            guard case .response(let response)? = exchange.frames.first?.kind else {
                Issue.record("expected a response, got \(exchange.frames)")
                return
            }
            #expect(response.callID == 1)
            #expect(response.endOfStream)
            #expect(response.status.code == StatusCode.deadlineExceeded.rawValue)
            #expect(response.status.message == "deadline of 150 ms exceeded")
            #expect(await doubles.cancellations.wait(for: 1))
        }
    }

    /// One timer serves a connection's deadlines: a shorter deadline after a longer one must fire
    /// first, the longer one after it, and a call without a deadline is not touched.
    @Test func serverEnforcesEachOfSeveralDeadlinesOnOneConnection() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            var long = RawConnection.request(callID: 1, method: TestDoubles.hang.path)
            long.request.timeoutMs = 1200
            var short = RawConnection.request(callID: 2, method: TestDoubles.hang.path)
            short.request.timeoutMs = 100
            let echo = RawConnection.request(callID: 3, method: Rapport_Diagnostics_V1_Diagnostics.Method.echo.path, token: daemon.localToken)
            let bytes = try RawConnection.encode(long) + RawConnection.encode(short) + RawConnection.encode(echo)
            let exchange = try await RawConnection.exchange(port: daemon.port, sending: bytes, timeout: .seconds(3))
            let answers = exchange.frames.compactMap { frame -> (UInt64, Int32, String)? in
                guard case .response(let response)? = frame.kind, response.endOfStream else { return nil }
                return (response.callID, response.status.code, response.status.message)
            }
            #expect(answers.map(\.0) == [3, 2, 1])
            #expect(answers.map(\.1) == [0, StatusCode.deadlineExceeded.rawValue, StatusCode.deadlineExceeded.rawValue])
            #expect(answers.map(\.2) == ["", "deadline of 100 ms exceeded", "deadline of 1200 ms exceeded"])
            #expect(await doubles.cancellations.wait(for: 2))
        }
    }

    /// The client's connection-wide deadline timer: a shorter deadline after a longer one.
    @Test func clientEnforcesEachOfSeveralDeadlinesOnOneConnection() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let client = try await daemon.makeClient()
            let started = ContinuousClock.now
            let long = Task {
                await rpcError {
                    _ = try await client.unary(TestDoubles.hang, EchoRequest(), options: .init(timeout: .milliseconds(4000)))
                }
            }
            #expect(await doubles.started.wait(for: 1))
            let shortError = await rpcError {
                _ = try await client.unary(TestDoubles.hang, EchoRequest(), options: .init(timeout: .milliseconds(100)))
            }
            #expect(shortError?.code == .deadlineExceeded)
            // The short deadline fires long before the long one (the margin absorbs a loaded CI run).
            #expect(ContinuousClock.now - started < .milliseconds(3500))
            let longError = await long.value
            #expect(longError?.code == .deadlineExceeded)
            #expect(longError?.message == "deadline of 4000 ms exceeded")
            #expect(ContinuousClock.now - started >= .milliseconds(4000))
            #expect(await doubles.cancellations.wait(for: 2))
            await client.close()
        }
    }

    @Test func cancellingTheCallingTaskCancelsTheServerHandler() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let client = try await daemon.makeClient()
            let call = Task { try await client.unary(TestDoubles.hang, EchoRequest()) }
            #expect(await doubles.started.wait(for: 1))
            call.cancel()
            let error = await rpcError { _ = try await call.value }
            #expect(error?.code == .cancelled)
            #expect(await doubles.cancellations.wait(for: 1))
            // The connection carries on.
            _ = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())
            await client.close()
        }
    }

    @Test func cancelFrameIsAnsweredWithCancelled() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(extraServices: [doubles]) { daemon in
            let bytes = try RawConnection.encode(RawConnection.request(callID: 7, method: TestDoubles.hang.path))
                + RawConnection.encode(.with { $0.cancel = .with { $0.callID = 7 } })
                + RawConnection.encode(.with { $0.cancel = .with { $0.callID = 99 } })
            let exchange = try await RawConnection.exchange(port: daemon.port, sending: bytes, timeout: .seconds(1))
            guard case .response(let response)? = exchange.frames.first?.kind else {
                Issue.record("expected a response, got \(exchange.frames)")
                return
            }
            #expect(response.callID == 7)
            #expect(response.status.code == StatusCode.cancelled.rawValue)
            #expect(exchange.frames.count == 1)
            #expect(await doubles.cancellations.wait(for: 1))
        }
    }
}
