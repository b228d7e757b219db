import Foundation
import RapportClient
import RapportProto
import RapportTesting
import Testing

@Suite("rapportd seed")
struct SeedCommandTests {
    static var rapportd: URL { Probe.rapportd }

    /// The daemon's config file decides where seeding writes and which policies it seeds with;
    /// an unusable one stops it before anything is written.
    @Test func followsTheConfigFileAndRefusesABadOne() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("from-config")
        let config = root.appendingPathComponent("rapportd.json")
        try Data(#"{"data_dir": "\#(data.path)", "interactions": {"followUpSLASeconds": 3600}}"#.utf8).write(to: config)
        let seeded = try await ProcessRun.run(Self.rapportd, [
            "seed", "--config", config.path, "--customers", "3", "--interactions-per-customer", "0",
        ])
        #expect(seeded.status == 0, "\(seeded.errors)")
        #expect(seeded.output.contains("seeded 3 customers"))
        #expect(seeded.output.contains("product catalog: 26 products, 26 new"), "\(seeded.output)")
        let again = try await ProcessRun.run(Self.rapportd, [
            "seed", "--config", config.path, "--customers", "3", "--interactions-per-customer", "0", "--seed", "2",
        ])
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("product catalog: 26 products, 0 new"), "\(again.output)")
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("rapport.sqlite").path))

        let bad = root.appendingPathComponent("bad.json")
        try Data(#"{"interactions": {"followUpSLASeconds": 0}}"#.utf8).write(to: bad)
        let elsewhere = root.appendingPathComponent("never")
        let refused = try await ProcessRun.run(Self.rapportd, [
            "seed", "--config", bad.path, "--data-dir", elsewhere.path, "--customers", "3",
        ])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("followUpSLASeconds"), "\(refused.errors)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
    }

    /// `--as-of` seeds the book as it stood on that day: nothing is opened or contacted later,
    /// and a day that is malformed, not in the calendar or in the future is refused before writing.
    @Test func asOfSeedsTheBookAsItStoodThatDay() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("as-of")
        let seeded = try await ProcessRun.run(Self.rapportd, [
            "seed", "--data-dir", data.path, "--customers", "20", "--interactions-per-customer", "6", "--as-of", "2024-02-29",
        ])
        #expect(seeded.status == 0, "\(seeded.errors)")
        #expect(seeded.output.contains("as of 2024-02-29"), "\(seeded.output)")
        let endOfDay = Date(timeIntervalSince1970: 1_709_251_200)  // 2024-03-01T00:00:00Z
        try await TestDaemon.run(configure: { $0.dataDirectory = data.path }) { daemon in
            let client = try await daemon.makeClient()
            let customers = try await client.customers.listCustomers(.with { $0.pageSize = 100 }).customers
            #expect(customers.count == 20)
            var contacts = 0
            for customer in customers {
                for holding in customer.profile.products where holding.hasOpenedOn {
                    let opened = holding.openedOn
                    #expect((opened.year, opened.month, opened.day) <= (2024, 2, 29), "\(holding.productCode)")
                }
                let log = try await client.interactions.listInteractions(.with {
                    $0.customerID = customer.id
                    $0.pageSize = 1000
                }).interactions
                contacts += log.count
                for interaction in log {
                    #expect(interaction.occurredAt.date < endOfDay, "\(interaction.id)")
                }
            }
            #expect(contacts > 0)
            await client.close()
        }

        for (asOf, complaint) in [("2024-2-29", "YYYY-MM-DD"), ("2023-02-29", "not a day of the calendar"), ("2999-01-01", "after today")] {
            let elsewhere = root.appendingPathComponent("never-\(asOf)")
            let refused = try await ProcessRun.run(Self.rapportd, [
                "seed", "--data-dir", elsewhere.path, "--customers", "3", "--as-of", asOf,
            ])
            #expect(refused.status != 0)
            #expect(refused.errors.contains(complaint), "\(asOf): \(refused.errors)")
            #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
        }
    }
}
