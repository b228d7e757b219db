import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

/// ExportInteractions keeps the daemon's memory flat however many rows stream: measured on a
/// separate rapportd, read through a slow reader the daemon has to wait for.
@Suite("ExportInteractions: flat memory", .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/statm")))
struct ExportMemoryTests {
    /// 16 chunks' worth of these rows (the daemon reads 500 rows of ~2 KB at a time): room for the
    /// chunk in flight, SQLite's page cache and allocator slack, but far less than the ~200 MiB
    /// that 100,000 rows add up to, held or buffered for a slow reader.
    static let growthBound = 16 << 20

    @Test func fiveThousandRowsStreamInOrderWithoutTheDaemonGrowing() async throws {
        try await Self.exportWithFlatMemory(rows: 5_000)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["RAPPORT_LONG_TESTS"] == "1", "set RAPPORT_LONG_TESTS=1"))
    func aHundredThousandRowsStreamInOrderWithoutTheDaemonGrowing() async throws {
        try await Self.exportWithFlatMemory(rows: 100_000)
    }

    static func exportWithFlatMemory(rows: Int) async throws {
        let daemon = try await DaemonProcess.start(["--sqlite-synchronous", "off"])
        do {
            try await measure(daemon, rows: rows)
        } catch {
            _ = await daemon.stop()
            throw error
        }
        #expect(await daemon.stop() == 0)
    }

    private static func measure(_ daemon: DaemonProcess, rows: Int) async throws {
        let ids = try await fill(daemon, rows: rows)
        // Warm up what any export needs (a read connection, statements, buffers) on the last rows.
        let warmUp = try await SlowExportReader.export(port: daemon.port, token: daemon.localToken, .with { $0.afterID = ids[rows - 600] }) { _, _ in }
        #expect(warmUp.code == 0)
        let baseline = try daemon.anonymousResidentBytes()
        var peak = baseline
        var outOfOrder = 0
        var received = 0
        let status = try await SlowExportReader.export(port: daemon.port, token: daemon.localToken, .init()) { index, interaction in
            if index >= ids.count || interaction.id != ids[index] { outOfOrder += 1 }
            received += 1
            if index % 500 == 0 { peak = max(peak, try daemon.anonymousResidentBytes()) }
            // A slow reader: the daemon's writes back up to it on the socket.
            if index % 100 == 0 { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(status.code == 0, "\(status)")
        #expect(received == rows)
        #expect(outOfOrder == 0)
        let growth = peak - baseline
        #expect(growth < growthBound, "rapportd grew by \(growth >> 20) MiB (from \(baseline >> 20) MiB) streaming \(rows) rows")
    }

    /// Logs `rows` inquiries with 2,000-character summaries in batches of 1,000; their ids in order.
    private static func fill(_ daemon: DaemonProcess, rows: Int) async throws -> [String] {
        let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
        let customer = try await client.customers.createCustomer(CustomerFixtures.create())
        let summary = String(repeating: "0123456789", count: 200)
        let start = Date()
        var ids: [String] = []
        ids.reserveCapacity(rows)
        for first in stride(from: 0, to: rows, by: 1_000) {
            let batch = (first..<min(first + 1_000, rows)).map {
                InteractionFixtures.interaction(customer.id, at: start.addingTimeInterval(-Double($0)), summary: summary)
            }
            ids += try await client.interactions.logInteractions(InteractionFixtures.batch(batch)).interactions.map(\.id)
        }
        await client.close()
        return ids
    }
}
