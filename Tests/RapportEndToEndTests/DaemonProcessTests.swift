import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("The rapportd executable")
struct DaemonProcessTests {
    @Test func startsOnAFreePortServesAndDrainsThenExitsZeroOnSIGTERM() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let process = Process()
        process.executableURL = Probe.executable.deletingLastPathComponent().appendingPathComponent("rapportd")
        process.arguments = ["--port", "0", "--data-dir", data.path, "--shutdown-grace", "5"]
        let log = Pipe()
        process.standardError = log
        let exited = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let port = try #require(await Self.boundPort(from: log.fileHandleForReading))
        let client = try await RapportClient.connect(host: "127.0.0.1", port: port)
        let health = try await client.unary(Rapport_Health_V1_Health.Method.check, .init())
        #expect(health.status == .serving)
        #expect(FileManager.default.fileExists(atPath: data.path))

        // SIGTERM with a call in flight: a Watch that has delivered its first message is running.
        // It keeps being served through the drain (it sees NOT_SERVING), ends at its own deadline,
        // and then the daemon exits 0.
        // Long enough that a loaded machine still delivers NOT_SERVING before the deadline.
        let watch = try await client.health.watch(options: .init(timeout: .milliseconds(4000)))
        var updates = watch.makeAsyncIterator()
        #expect(try await updates.next()?.status == .serving)
        process.terminate()
        #expect(try await updates.next()?.status == .notServing)
        let end = await rpcError { _ = try await updates.next() }
        #expect(end?.code == .deadlineExceeded)
        var statuses = exited.stream.makeAsyncIterator()
        #expect(await statuses.next() == 0)
        await client.close()
    }

    /// Reads the daemon's log until its "listening on HOST:PORT" line.
    static func boundPort(from log: FileHandle) async -> Int? {
        let lines = AsyncStream<String> { continuation in
            log.readabilityHandler = { handle in
                let chunk = handle.availableData
                if chunk.isEmpty {
                    handle.readabilityHandler = nil
                    continuation.finish()
                } else {
                    continuation.yield(String(decoding: chunk, as: UTF8.self))
                }
            }
        }
        var text = ""
        for await chunk in lines {
            text += chunk
            if let range = text.range(of: #"listening on [0-9.]+:([0-9]+)"#, options: .regularExpression) {
                log.readabilityHandler = nil
                return Int(text[range].split(separator: ":").last ?? "")
            }
        }
        return nil
    }
}
