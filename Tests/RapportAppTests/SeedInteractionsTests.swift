import Foundation
import RapportApp
import RapportDomain
import RapportStore
import Testing

@Suite("Seeding interaction histories")
struct SeedInteractionsTests {
    @Test func seedingWritesEveryPlannedInteractionWithItsDerivedSignals() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-seed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory))
        let now = SyntheticBook.now
        let seeder = Seeder(store: store, policy: .defaults, seed: 5, interactionsPerCustomer: 12)
        let planned = seeder.plannedInteractions(count: 1500, now: now)
        var reported: [Seeder.Progress] = []
        try await seeder.seed(count: 1500, now: now) { reported.append($0) }
        #expect(reported.last == Seeder.Progress(customers: 1500, interactions: planned))
        #expect(reported.map(\.interactions) == reported.map(\.interactions).sorted())

        var exported: [Interaction] = []
        while true {
            let chunk = try await store.exportChunk(filter: InteractionFilter(), afterID: exported.last?.id, limit: 1000)
            if chunk.isEmpty { break }
            exported += chunk
        }
        #expect(exported.count == planned)
        let byID = Dictionary(uniqueKeysWithValues: exported.map { ($0.id, $0) })
        for interaction in exported {
            #expect(interaction.occurredAt <= now && interaction.recordedAt == now)
            if let target = interaction.followUpOf {
                // Recorded after what it answers, for the same customer.
                #expect(target < interaction.id)
                #expect(byID[target]?.customerID == interaction.customerID)
            }
        }

        let queue = try await store.followUps(FollowUpFilter(), pageSize: 100, after: nil)
        #expect(!queue.items.isEmpty)
        #expect(queue.items.contains { $0.isOverdue(now: now) })
        for stage in [LifecycleStage.decline, .acquisition, .maturity] {
            let page = try await store.list(CustomerQuery(lifecycleStage: stage), pageSize: 1, after: nil)
            #expect(!page.customers.isEmpty, "someone in \(stage)")
        }
        let report = try await store.npsReport(from: now.addingTimeInterval(-4 * 365 * 86_400), before: now, groupBy: .valueTier)
        #expect(report.overall.responses == exported.filter { $0.kind == .surveyResponse }.count)
        #expect((12.0...30.0).contains(report.overall.nps), "NPS \(report.overall.nps)")
        try store.close()
    }
}
