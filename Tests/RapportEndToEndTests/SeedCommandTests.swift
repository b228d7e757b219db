import Foundation
import Testing

@Suite("rapportd seed")
struct SeedCommandTests {
    static var rapportd: URL { Probe.executable.deletingLastPathComponent().appendingPathComponent("rapportd") }

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
}
