import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("The rapportd executable")
struct DaemonProcessTests {
    @Test func startsOnAFreePortServesAndExitsZeroOnSIGTERM() async throws {
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

        // SIGTERM with a call in flight: the call completes, then the daemon exits 0.
        let inFlight = Task {
            try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, .with {
                $0.payload = Data("bye".utf8)
                $0.delayMs = 400
            })
        }
        // Requests and pings are read in order: once the pong is back, the call has started.
        try await Task.sleep(for: .milliseconds(50))
        _ = try await client.ping()
        process.terminate()
        #expect(try await inFlight.value.payload == Data("bye".utf8))
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
