import Foundation
import RapportApp
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Security: secure by default", .serialized)
struct LocalAdminTests {
    @Test func firstStartWritesAnOwnerOnlyTokenSaysWhereNotWhatAndKeepsItAcrossRestarts() async throws {
        let first = try await DaemonProcess.start()
        let path = first.dataDirectory.appendingPathComponent("local-admin.token").path
        let token = try #require(first.localToken)
        #expect(token.hasPrefix("rapport_") && token.utf8.count == 8 + 43)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == token + "\n")
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(first.log.contains(path))
        #expect(!first.log.contains(token))
        let client = try await RapportClient.connect(host: "127.0.0.1", port: first.port, configuration: first.clientConfiguration)
        _ = try await client.customers.listCustomers(.init())
        await client.close()
        #expect(await first.terminate() == 0)

        let second = try await DaemonProcess.start(in: first.directory)
        #expect(second.localToken == token)
        #expect(await second.stop() == 0)
    }

    @Test func aNonLoopbackAddressWithoutTLSAndPrincipalsIsRefusedUnlessInsecure() async throws {
        let refused = await #expect(throws: DaemonProcess.StartFailure.self) {
            let daemon = try await DaemonProcess.start(["--host", "0.0.0.0"])
            _ = await daemon.stop()
        }
        #expect(refused?.log.contains("beyond loopback, needs TLS (tls_cert, tls_key) and a principals file") == true)
        let insecure = try await DaemonProcess.start(["--host", "0.0.0.0", "--insecure"])
        #expect(insecure.log.contains("INSECURE"))
        #expect(await insecure.stop() == 0)
    }
}
