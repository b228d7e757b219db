import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

/// The daemon as a service manager runs it: as a user of its own, without root's privileges,
/// which hid a socket option only root may set (the suite otherwise runs as root in CI).
@Suite("rapportd as an unprivileged user")
struct UnprivilegedDaemonTests {
    @Test func servesCallsOnSeveralConnectionsAndWritesItsStore() async throws {
        let daemon = try await DaemonProcess.start(unprivileged: true)
        defer {
            daemon.process.send(SIGKILL)
            try? FileManager.default.removeItem(at: daemon.directory)
        }
        if getuid() == 0 {
            let owner = try FileManager.default.attributesOfItem(atPath: "/proc/\(daemon.pid)")[.ownerAccountID] as? NSNumber
            #expect(owner?.intValue == Int(DaemonProcess.Unprivileged.userID), "the daemon must run as nobody")
        }
        var clients: [RapportClient] = []
        for index in 0..<4 {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
            clients.append(client)
            let echo = try await client.unary(
                Rapport_Diagnostics_V1_Diagnostics.Method.echo, .with { $0.payload = Data("call \(index)".utf8) })
            #expect(echo.payload == Data("call \(index)".utf8))
        }
        // Every connection is still served after the others were accepted.
        for client in clients {
            let health = try await client.unary(Rapport_Health_V1_Health.Method.check, .init())
            #expect(health.status == .serving)
        }
        let created = try await clients[0].customers.createCustomer(CustomerFixtures.create(externalRef: "NOBODY-1"))
        let listed = try await clients[1].customers.listCustomers(.with { $0.pageSize = 10 }).customers
        #expect(listed.map(\.id) == [created.id])
        for client in clients {
            await client.close()
        }
        #expect(daemon.process.isRunning)
        #expect(await daemon.stop() == 0)
    }
}
