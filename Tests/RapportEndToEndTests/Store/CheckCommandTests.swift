import Foundation
import Testing

/// `rapportd check` on a seeded data directory: everything the seed wrote agrees with its
/// recomputation, and the audit chain is intact.
@Suite("rapportd check")
struct CheckCommandTests {
    @Test func aSeededDirectoryIsConsistent() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let seeded = try await ProcessRun.run(Probe.rapportd, [
            "seed", "--data-dir", data.path, "--customers", "20", "--interactions-per-customer", "8",
        ])
        #expect(seeded.status == 0, "\(seeded.errors)")
        let checked = try await ProcessRun.run(Probe.rapportd, ["check", "--data-dir", data.path, "--json"])
        #expect(checked.status == 0, "\(checked.output)\(checked.errors)")
        let document = try JSONSerialization.jsonObject(with: Data(checked.output.utf8)) as? [String: Any]
        #expect(document?["consistent"] as? Bool == true)
        #expect((document?["checks"] as? [Any])?.isEmpty == false)
        #expect((document?["audit"] as? [String: Any])?["intact"] as? Bool == true)

        let table = try await ProcessRun.run(Probe.rapportd, ["check", "--data-dir", data.path])
        #expect(table.status == 0, "\(table.errors)")
        #expect(table.output.contains("activity daily counts"), "\(table.output)")
    }
}
