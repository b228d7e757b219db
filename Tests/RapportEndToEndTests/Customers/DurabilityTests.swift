import Foundation
import RapportApp
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("The customer store across restarts")
struct DurabilityTests {
    @Test func acknowledgedCustomersSurviveARestartAndASecondDaemonIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-durable-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let id = try await TestDaemon.run(configure: { $0.dataDirectory = directory }) { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create(externalRef: "CB-durable"))
            // A second daemon on the same data directory must not start.
            await #expect(throws: (any Error).self) {
                try await TestDaemon.run(configure: { $0.dataDirectory = directory }) { _ in }
            }
            await client.close()
            return created.id
        }
        try await TestDaemon.run(configure: { $0.dataDirectory = directory }) { daemon in
            let client = try await daemon.makeClient()
            let again = try await client.customers.getCustomer(.with { $0.externalRef = "CB-durable" })
            #expect(again.id == id)
            await client.close()
        }
    }
}
