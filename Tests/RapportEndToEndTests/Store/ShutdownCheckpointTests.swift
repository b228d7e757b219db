import Foundation
import GRDB
import RapportClient
import RapportProto
import RapportWire
import Testing

/// What the `rapportd` binary leaves in its data directory when SIGTERM stops it.
@Suite("The database file after a graceful shutdown")
struct ShutdownCheckpointTests {
    /// After SIGTERM the database file alone — what an operator copies as a backup, without its
    /// `-wal` — holds every acknowledged write, and the write-ahead log is empty.
    @Test func afterSIGTERMTheDatabaseFileAloneHoldsEveryAcknowledgedWrite() async throws {
        let daemon = try await DaemonProcess.start()
        defer { try? FileManager.default.removeItem(at: daemon.directory) }
        var ids: [String] = []
        var renamedEtag = ""
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
            for index in 0..<40 {
                let profile = CustomerFixtures.profile(name: "Customer \(index)")
                ids.append(try await client.customers.createCustomer(CustomerFixtures.create(profile)).id)
            }
            let changed = try await client.customers.updateCustomer(.with {
                $0.id = ids[0]
                $0.profile = .with { $0.fullName = "Renamed Before Shutdown" }
                $0.updateMask = .init(protoPaths: ["full_name"])
            })
            #expect(changed.profile.fullName == "Renamed Before Shutdown")
            renamedEtag = changed.etag
            await client.close()
        } catch {
            _ = await daemon.terminate()
            throw error
        }
        #expect(await daemon.terminate() == 0)

        let data = daemon.dataDirectory
        let copy = daemon.directory.appendingPathComponent("backup")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        let copied = copy.appendingPathComponent("rapport.sqlite")
        try FileManager.default.copyItem(at: data.appendingPathComponent("rapport.sqlite"), to: copied)
        let database = try DatabaseQueue(path: copied.path)
        defer { try? database.close() }
        let stored = try await database.read { try Set(String.fetchAll($0, sql: "SELECT id FROM customers")) }
        #expect(stored == Set(ids), "the database file alone holds \(stored.count) of \(ids.count) customers")
        // The update is in the file too (the name is sealed; the etag it got is a plain column).
        let renamedID = ids[0]
        let renamed = try await database.read {
            try String.fetchOne($0, sql: "SELECT etag FROM customers WHERE id = ?", arguments: [renamedID])
        }
        #expect(renamed == renamedEtag)
        // Nothing (erased data included) is left behind in the log.
        let wal = data.appendingPathComponent("rapport.sqlite-wal").path
        if FileManager.default.fileExists(atPath: wal) {
            #expect((try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) == 0)
        }
    }
}
