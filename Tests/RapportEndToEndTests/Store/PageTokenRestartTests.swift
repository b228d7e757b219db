import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

/// Page tokens across restarts of the `rapportd` binary, and after its secret is replaced.
@Suite("Page tokens across restarts")
struct PageTokenRestartTests {
    /// A page token from before a restart continues the listing after it; once the secret file
    /// is replaced, earlier tokens are INVALID_ARGUMENT (and the first page works as ever).
    @Test func aPageTokenOutlivesARestartButNotItsSecret() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await DaemonProcess.start(in: directory)
        let (ids, token): ([String], String)
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: first.port, configuration: first.clientConfiguration)
            var created: [String] = []
            for name in ["Ada Lovelace", "Ada Byron", "Adam Smith"] {
                let profile = CustomerFixtures.profile(name: name)
                created.append(try await client.customers.createCustomer(CustomerFixtures.create(profile)).id)
            }
            let page = try await client.customers.listCustomers(.with { $0.pageSize = 1; $0.namePrefix = "ada" })
            #expect(!page.nextPageToken.isEmpty)
            (ids, token) = (created, page.nextPageToken)
            await client.close()
        } catch {
            _ = await first.terminate()
            throw error
        }
        #expect(await first.terminate() == 0)

        let second = try await DaemonProcess.start(in: directory)
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: second.port, configuration: second.clientConfiguration)
            let rest = try await client.customers.listCustomers(.with { $0.pageSize = 10; $0.namePrefix = "ada"; $0.pageToken = token })
            // Name-prefix lists are in id order, so the first page held the first created.
            #expect(rest.customers.map(\.id) == [ids[1], ids[2]])
            await client.close()
        } catch {
            _ = await second.terminate()
            throw error
        }
        #expect(await second.terminate() == 0)

        try FileManager.default.removeItem(at: second.dataDirectory.appendingPathComponent("page-tokens.key"))
        let third = try await DaemonProcess.start(in: directory)
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: third.port, configuration: third.clientConfiguration)
            let refused = await rpcError {
                _ = try await client.customers.listCustomers(.with { $0.pageSize = 10; $0.namePrefix = "ada"; $0.pageToken = token })
            }
            #expect(refused?.code == .invalidArgument)
            #expect(refused?.message.contains("not a token this service issued") == true)
            let restarted = try await client.customers.listCustomers(.with { $0.pageSize = 10; $0.namePrefix = "ada" })
            #expect(restarted.customers.count == 3)
            await client.close()
        } catch {
            _ = await third.terminate()
            throw error
        }
        #expect(await third.terminate() == 0)
    }
}
