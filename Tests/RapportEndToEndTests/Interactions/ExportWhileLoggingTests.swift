import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("ExportInteractions while others log")
struct ExportWhileLoggingTests {
    /// An incremental reader (export, then resume after the last id it saw, again and again)
    /// must end up with every interaction while batches and single calls are being logged.
    /// When correct this never fails; when ids and commits can disagree it fails most runs.
    @Test func aReaderResumingAfterTheLastIdItSawMissesNothing() async throws {
        try await InteractionHarness.run { world in
            let ada = try await world.customer()
            let summary = String(repeating: "x", count: 2_000)
            let finished = Counter()
            var synced: [String] = []
            try await withThrowingTaskGroup(of: Void.self) { writers in
                writers.addTask {
                    for _ in 0..<6 {
                        _ = try await world.logBatch((0..<500).map { _ in
                            InteractionFixtures.interaction(ada.id, at: world.clock.now, summary: summary)
                        })
                    }
                    finished.record()
                }
                writers.addTask {
                    while finished.value == 0 {
                        _ = try await world.log(InteractionFixtures.interaction(ada.id, .transaction, at: world.clock.now))
                    }
                }
                var after = ""
                repeat {
                    let new = try await world.export(.with { $0.afterID = after })
                    synced += new.map(\.id)
                    after = new.last?.id ?? after
                } while finished.value == 0
                try await writers.waitForAll()
                synced += try await world.export(.with { $0.afterID = after }).map(\.id)
            }
            let all = try await world.export().map(\.id)
            // Counts only: on failure the ids would flood the report.
            let missed = Set(all).subtracting(synced).count
            #expect(missed == 0, "the reader never saw \(missed) of \(all.count) interactions")
            #expect(synced.count == all.count)
        }
    }
}
