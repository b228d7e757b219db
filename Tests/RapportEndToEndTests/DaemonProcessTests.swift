import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("The rapportd executable")
struct DaemonProcessTests {
    @Test func startsOnAFreePortServesAndDrainsThenExitsZeroOnSIGTERM() async throws {
        let daemon = try await DaemonProcess.start(["--shutdown-grace", "5"])
        // A failed expectation must not leave the daemon running or its directory behind.
        defer {
            daemon.process.send(SIGKILL)
            try? FileManager.default.removeItem(at: daemon.directory)
        }
        let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
        let health = try await client.unary(Rapport_Health_V1_Health.Method.check, .init())
        #expect(health.status == .serving)
        #expect(FileManager.default.fileExists(atPath: daemon.dataDirectory.path))
        // The start-up log names the data directory, whatever the working directory.
        let log = try String(contentsOf: daemon.directory.appendingPathComponent("rapportd.log"), encoding: .utf8)
        #expect(log.contains("data directory \(daemon.dataDirectory.standardizedFileURL.path) opened"))

        // SIGTERM with a call in flight: a Watch that has delivered its first message is running.
        // It keeps being served through the drain (it sees NOT_SERVING), ends at its own deadline,
        // and then the daemon exits 0.
        // Long enough that a loaded machine still delivers NOT_SERVING before the deadline.
        let watch = try await client.health.watch(options: .init(timeout: .milliseconds(4000)))
        var updates = watch.makeAsyncIterator()
        #expect(try await updates.next()?.status == .serving)
        daemon.process.send(SIGTERM)
        #expect(try await updates.next()?.status == .notServing)
        let end = await rpcError { _ = try await updates.next() }
        #expect(end?.code == .deadlineExceeded)
        #expect(await daemon.process.waitForExit() == 0)
        await client.close()
    }
}
