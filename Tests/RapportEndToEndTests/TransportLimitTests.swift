import Foundation
import RapportProto
import RapportTesting
import RapportWire
import Testing

/// What one connection may hold of the daemon: answers its client does not read, frames it does
/// not finish, and how many connections there may be. One test at a time: several push tens of
/// MiB through a daemon, which beside each other would slow the timers of every suite running.
@Suite("Transport limits", .serialized)
struct TransportLimitTests {
    static let echoPath = Rapport_Diagnostics_V1_Diagnostics.Method.echo.path

    /// An Echo Request frame with `size` payload bytes, ready for the wire.
    static func echoFrame(callID: UInt64, size: Int, token: String?) throws -> [UInt8] {
        let payload: [UInt8] = try EchoRequest.with { $0.payload = Data(repeating: 0x5A, count: size) }.serializedBytes()
        return try RawConnection.encode(RawConnection.request(callID: callID, method: echoPath, payload: payload, token: token))
    }

    static let ping: [UInt8] = (try? RawConnection.encode(.with { $0.ping = .with { $0.nonce = 42 } })) ?? []

    // MARK: Answers the client does not read

    /// The most a connection's queue may hold for a bound: the channel's buffer up to the bound,
    /// then as much in the writer's queue before it is handed over, and the answers of the calls
    /// that found room at the same instant (one a cooperative thread).
    static func queueCeiling(bound: Int, answer: Int) -> Int {
        2 * bound + ProcessInfo.processInfo.activeProcessorCount * answer
    }

    @Test func clientThatDoesNotReadHoldsItsConnectionsReadingUntilItReadsThenEveryCallIsAnswered() async throws {
        let bound = 1 << 20
        let size = 256 * 1024
        let calls = 64
        try await TestDaemon.run(configure: {
            $0.server.limits.maxQueuedWriteBytes = bound
            $0.server.limits.writeStallTimeout = .seconds(300)
        }) { daemon in
            let server = daemon.daemon.server
            let stream = try await RawStream.connect(port: daemon.port, reading: false, receiveBufferSize: 64 * 1024)
            for id in 1...calls {
                stream.send(try Self.echoFrame(callID: UInt64(id), size: size, token: daemon.localToken))
            }
            #expect(await eventually(within: .seconds(30)) { await server.connectionStatistics().first?.isBackpressured == true })
            // Time for calls read before the hold to answer, and for any that should not have been read.
            try await Task.sleep(for: .milliseconds(500))
            let held = try #require(await server.connectionStatistics().first)
            #expect(held.isBackpressured)
            #expect(held.queuedWriteBytes >= bound / 2)
            #expect(held.peakQueuedWriteBytes <= Self.queueCeiling(bound: bound, answer: size + 64), "\(held)")

            stream.startReading()
            #expect(await eventually(within: .seconds(30)) { ((try? stream.frames.count) ?? 0) >= calls })
            let answers = try stream.frames.compactMap(\.answer)
            #expect(answers.count == calls)
            #expect(Set(answers.map(\.callID)) == Set((1...calls).map(UInt64.init)))
            for answer in answers {
                #expect(answer.status.code == 0 && answer.endOfStream)
                #expect(try EchoResponse(serializedBytes: answer.payload).payload.count == size)
            }
            let drained = try #require(await server.connectionStatistics().first)
            #expect(!drained.isBackpressured)
            #expect(drained.peakQueuedWriteBytes <= Self.queueCeiling(bound: bound, answer: size + 64), "\(drained)")
            #expect(!stream.isClosed)
            await stream.close()
        }
    }

    /// The daemon as users run it, measured from outside: its memory, not its own statistics.
    @Test func spawnedDaemonsMemoryStaysBoundedWhileAClientPipelinesWithoutReading() async throws {
        let daemon = try await DaemonProcess.start()
        defer {
            daemon.process.send(SIGKILL)
            try? FileManager.default.removeItem(at: daemon.directory)
        }
        let size = 1 << 20
        // A first large call, so what any such call allocates once is in the baseline.
        let warmUp = try await RawStream.connect(port: daemon.port)
        warmUp.send(try Self.echoFrame(callID: 1, size: size, token: daemon.localToken))
        #expect(await eventually { ((try? warmUp.frames.count) ?? 0) == 1 })
        await warmUp.close()
        let before = try daemon.anonymousResidentBytes()

        let stream = try await RawStream.connect(port: daemon.port, reading: false, receiveBufferSize: 64 * 1024)
        for id in 1...64 {
            stream.send(try Self.echoFrame(callID: UInt64(id), size: size, token: daemon.localToken))
        }
        // Unbounded, the daemon would read and answer all 64 MiB well within this time.
        try await Task.sleep(for: .seconds(3))
        let grown = try daemon.anonymousResidentBytes() - before
        #expect(grown < 32 << 20, "the daemon grew by \(grown >> 20) MiB for a client that does not read")
        await stream.close()
        #expect(await daemon.stop() == 0)
    }

    /// Opens a connection that pipelines `calls` Echo calls of `size` bytes and reads nothing,
    /// and waits until the server holds its reading.
    static func stalledConnection(_ daemon: TestDaemon, calls: Int, size: Int) async throws -> RawStream {
        let stream = try await RawStream.connect(port: daemon.port, reading: false, receiveBufferSize: 64 * 1024)
        for id in 1...calls {
            stream.send(try echoFrame(callID: UInt64(id), size: size, token: daemon.localToken))
        }
        let held = await eventually(within: .seconds(30)) {
            await daemon.daemon.server.connectionStatistics().contains { $0.isBackpressured }
        }
        #expect(held, "the server never held the connection's reading")
        return stream
    }

    @Test func clientThatReadsTooLateFindsGoAwayResourceExhaustedBehindItsAnswers() async throws {
        let calls = 32
        try await TestDaemon.run(configure: {
            $0.server.limits.maxQueuedWriteBytes = 1 << 20
            $0.server.limits.writeStallTimeout = .seconds(1)
        }) { daemon in
            let stream = try await Self.stalledConnection(daemon, calls: calls, size: 256 * 1024)
            // Past the stall timeout, within the time the server waits for the client to read.
            try await Task.sleep(for: .seconds(2))
            stream.startReading()
            #expect(await eventually(within: .seconds(15)) { stream.isClosed })
            let frames = try stream.frames
            let goAway = try #require(frames.last?.goAwayStatus, "\(frames.count) frames, no GoAway last")
            #expect(goAway.code == StatusCode.resourceExhausted.rawValue)
            #expect(goAway.message.contains("not read"))
            #expect(frames.compactMap(\.answer).count < calls)
            #expect(await eventually { await daemon.daemon.server.connectionStatistics().isEmpty })

            let client = try await daemon.makeClient()
            _ = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())
            await client.close()
        }
    }

    @Test func clientThatNeverReadsIsClosedAndWhatItsConnectionHeldIsFreed() async throws {
        try await TestDaemon.run(configure: {
            $0.server.limits.maxQueuedWriteBytes = 1 << 20
            $0.server.limits.writeStallTimeout = .seconds(1)
        }) { daemon in
            let stream = try await Self.stalledConnection(daemon, calls: 32, size: 256 * 1024)
            let server = daemon.daemon.server
            let queued = try #require(await server.connectionStatistics().first).queuedWriteBytes
            #expect(queued >= 1 << 19)
            // The stall timeout, then the wait for a client that will not read.
            #expect(await eventually(within: .seconds(20)) { await server.connectionStatistics().isEmpty })
            await stream.close()
        }
    }

    // MARK: Frames that do not finish

    @Test func tricklingFrameIsClosedAfterTheFrameReadTimeoutWithACallInFlight() async throws {
        let doubles = TestDoubles()
        try await TestDaemon.run(
            configure: { $0.server.limits.frameReadTimeout = .seconds(1) }, extraServices: [doubles]
        ) { daemon in
            let stream = try await RawStream.connect(port: daemon.port)
            stream.send(try RawConnection.encode(RawConnection.request(callID: 1, method: TestDoubles.hang.path)))
            #expect(await doubles.started.wait(for: 1))
            // 200 ms a byte: the frame would take several seconds to complete.
            let frame = try Self.echoFrame(callID: 2, size: 40, token: daemon.localToken)
            let start = ContinuousClock.now
            let trickle = Task { try? await stream.trickle(frame, every: .milliseconds(200)) }
            #expect(await eventually(within: .seconds(10)) { stream.isClosed })
            trickle.cancel()
            #expect(ContinuousClock.now - start < .milliseconds(200) * frame.count)
            let frames = try stream.frames
            #expect(frames.compactMap(\.answer).isEmpty)
            let goAway = try #require(frames.last?.goAwayStatus)
            #expect(goAway.code == StatusCode.deadlineExceeded.rawValue)
            #expect(goAway.message.contains("not completed within 1.0 seconds"))
            #expect(await doubles.cancellations.wait(for: 1))
        }
    }

    /// That each frame has a timeout of its own, however long the frames take together, is
    /// checked on a virtual clock in FrameReadTimeoutTests; here the timeout leaves room for a
    /// loaded machine.
    @Test func framesSentSlowlyButEachWithinTheTimeoutAreServed() async throws {
        try await TestDaemon.run(configure: { $0.server.limits.frameReadTimeout = .seconds(8) }) { daemon in
            let stream = try await RawStream.connect(port: daemon.port)
            for id in 1...2 {
                let frame = try Self.echoFrame(callID: UInt64(id), size: 100, token: daemon.localToken)
                let start = ContinuousClock.now
                do {
                    try await stream.trickle(frame, chunk: frame.count / 4 + 1, every: .milliseconds(300))
                } catch {
                    let elapsed = ContinuousClock.now - start
                    Issue.record("the server closed the connection \(elapsed) into frame \(id): \(try stream.frames)")
                    return
                }
            }
            #expect(await eventually { ((try? stream.frames.count) ?? 0) >= 2 })
            let answers = try stream.frames.compactMap(\.answer)
            #expect(answers.map(\.callID) == [1, 2])
            #expect(answers.allSatisfy { $0.status.code == 0 })
            #expect(!stream.isClosed)
            await stream.close()
        }
    }

    // MARK: How many connections

    @Test func connectionBeyondTheLimitGetsGoAwayWhileTheOthersAreServedAndAFreedPlaceIsTaken() async throws {
        try await TestDaemon.run(configure: { $0.server.limits.maxConnections = 2 }) { daemon in
            let first = try await daemon.makeClient()
            let second = try await daemon.makeClient()
            _ = try await first.ping()
            _ = try await second.ping()

            let refused = try await RawConnection.exchange(port: daemon.port, sending: Self.ping)
            #expect(refused.serverClosed)
            #expect(refused.goAway?.status.code == StatusCode.resourceExhausted.rawValue)
            #expect(refused.goAway?.status.message.contains("limit of 2 open connections") == true)
            #expect(!refused.frames.contains { if case .pong = $0.kind { true } else { false } })

            _ = try await second.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())
            await first.close()
            // The place is free once the server has seen the close.
            let admitted = await eventually(within: .seconds(10)) {
                let exchange = try? await RawConnection.exchange(
                    port: daemon.port, sending: Self.ping, timeout: .milliseconds(300))
                return exchange?.frames.contains { if case .pong = $0.kind { true } else { false } } == true
            }
            #expect(admitted)
            await second.close()
        }
    }

    // MARK: Listen backlog

    /// The backlog of the listening socket, from `ss` (the Send-Q of a listener is its backlog).
    static func listenBacklog(port: Int) async throws -> Int? {
        let run = try await ProcessRun.run(URL(fileURLWithPath: "/usr/bin/ss"), ["-Hltn", "sport = :\(port)"])
        return run.output.split(separator: "\n").first.flatMap { line in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            return columns.count > 2 ? Int(columns[2]) : nil
        }
    }

    /// What the kernel makes of a requested backlog: at most `net.core.somaxconn`.
    static func effectiveBacklog(_ requested: Int) -> Int {
        let cap = (try? String(contentsOfFile: "/proc/sys/net/core/somaxconn", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? requested
        return min(requested, cap)
    }

    @Test func listenerUsesTheConfiguredBacklog() async throws {
        let daemon = try await DaemonProcess.start(["--listen-backlog", "777"])
        defer {
            daemon.process.send(SIGKILL)
            try? FileManager.default.removeItem(at: daemon.directory)
        }
        #expect(try await Self.listenBacklog(port: daemon.port) == Self.effectiveBacklog(777))
        _ = await daemon.stop()
        try await TestDaemon.run { daemon in
            let backlog = try await Self.listenBacklog(port: daemon.port)
            #expect(backlog == Self.effectiveBacklog(1024))
        }
    }
}
