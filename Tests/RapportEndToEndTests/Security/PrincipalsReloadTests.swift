import Foundation
import RapportAccess
import RapportApp
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Security: reloading the principals file")
struct PrincipalsReloadTests {
    @Test func reloadSwapsPrincipalsWithoutDroppingOpenConnectionsAndABadFileKeepsTheOld() async throws {
        let principals = try TestPrincipals.make()
        defer { principals.remove() }
        try await TestDaemon.run(configure: { $0.principalsFile = principals.path }) { daemon in
            let reader = try await daemon.makeClient(token: principals.token("reader"))
            _ = try await reader.customers.listCustomers(.init())
            let newToken = LocalAdminCredential.makeToken()
            // The reader is promoted to manager; a new principal arrives; the agent is removed.
            try principals.write([
                .init(name: "reader", roles: [.manager], tokens: [principals.token("reader")]),
                .init(name: "newcomer", roles: [.auditor], tokens: [newToken]),
            ])
            let newcomer = try await daemon.makeClient(token: newToken)
            #expect(await rpcError { _ = try await newcomer.reflection.listServices() }?.code == .unauthenticated)
            let agent = try await daemon.makeClient(token: principals.token("agent"))
            _ = try await agent.customers.listCustomers(.init())

            #expect(daemon.daemon.reloadPrincipals())
            // Same connections, new principals.
            _ = try await reader.customers.createCustomer(CustomerFixtures.create())
            _ = try await newcomer.reflection.listServices()
            #expect(await rpcError { _ = try await agent.customers.listCustomers(.init()) }?.code == .unauthenticated)
            #expect(!reader.isClosed && !agent.isClosed)

            // A broken file is refused and the principals in force stay.
            try "{\"principals\": [{\"name\": \"x\", \"roles\": [\"reader\"], \"tokens\": [\"plaintext\"]}]}"
                .write(toFile: principals.path, atomically: true, encoding: .utf8)
            #expect(!daemon.daemon.reloadPrincipals())
            _ = try await reader.customers.createCustomer(CustomerFixtures.create())
            for client in [reader, newcomer, agent] { await client.close() }
        }
    }

    @Test func sighupReloadsTheShippedDaemonsPrincipals() async throws {
        let principals = try TestPrincipals.make()
        defer { principals.remove() }
        let daemon = try await DaemonProcess.start(["--principals-file", principals.path])
        var failure: (any Error)?
        do {
            #expect(!FileManager.default.fileExists(atPath: daemon.dataDirectory.appendingPathComponent("local-admin.token").path))
            let reader = try await RapportClient.connect(
                host: "127.0.0.1", port: daemon.port, configuration: .init(bearerToken: principals.token("reader")))
            _ = try await reader.reflection.listServices()
            let added = LocalAdminCredential.makeToken()
            try principals.write([
                .init(name: "reader", roles: [.reader], tokens: [principals.token("reader")]),
                .init(name: "added", roles: [.reader], tokens: [added]),
            ])
            let later = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: .init(bearerToken: added))
            #expect(await rpcError { _ = try await later.reflection.listServices() }?.code == .unauthenticated)
            daemon.process.send(SIGHUP)
            #expect(await eventually { (try? await later.reflection.listServices()) != nil })
            _ = try await reader.reflection.listServices()
            #expect(!reader.isClosed)

            try "not json".write(toFile: principals.path, atomically: true, encoding: .utf8)
            daemon.process.send(SIGHUP)
            #expect(await eventually { daemon.log.contains("principals file not reloaded") })
            _ = try await later.reflection.listServices()
            #expect(daemon.process.isRunning)
            await reader.close()
            await later.close()
        } catch {
            failure = error
        }
        #expect(await daemon.stop() == 0)
        if let failure { throw failure }
    }
}
