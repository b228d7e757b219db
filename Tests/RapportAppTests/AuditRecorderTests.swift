import Foundation
import Logging
import RapportApp
import RapportServer
import RapportStore
import RapportWire
import Testing

@Suite("AuditRecorder: buffered events, group-committed, bounded")
struct AuditRecorderTests {
    static func withStore(_ body: (SQLiteCustomerStore) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-recorder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: path, synchronous: .off))
        do {
            try await body(store)
            try store.close()
        } catch {
            try? store.close()
            throw error
        }
    }

    static func entry(_ n: Int) -> AuditEntry {
        AuditEntry(time: Date(), principal: "p", method: "/m", customerIDs: ["cus_\(n)"], outcome: "OK", detail: "read",
                   requestID: "r\(n)", peer: "")
    }

    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aFlushWritesEveryBufferedEventInOrderAcrossBatches() async throws {
        try await Self.withStore { store in
            var settings = AuditRecorder.Settings()
            settings.batchSize = 3
            let recorder = AuditRecorder(store: store, settings: settings, logger: Self.logger)
            for n in 0..<10 { recorder.record(Self.entry(n)) }
            recorder.callRefused(CallRefusal(
                time: Date(), method: "/rapport.v1.AdminService/VerifyAuditChain", principal: "reader-1", code: .permissionDenied,
                requestID: "denied-1", peer: "10.0.0.9:1"))
            #expect(recorder.bufferedCount == 11)
            #expect(await recorder.flush())
            let events = try await store.auditEvents(AuditFilter(), pageSize: 100, after: nil).events
            #expect(events.map(\.entry.requestID) == (0..<10).map { "r\($0)" } + ["denied-1"])
            let refusal = try #require(events.last?.entry)
            #expect(refusal.outcome == "PERMISSION_DENIED")
            #expect(refusal.detail == "refused")
            #expect(refusal.principal == "reader-1")
            #expect(refusal.peer == "10.0.0.9:1")
            #expect(recorder.writtenCount == 11)
            #expect(recorder.bufferedCount == 0)
        }
    }

    @Test func aFullBufferDropsAndCountsWithoutBlocking() async throws {
        try await Self.withStore { store in
            var settings = AuditRecorder.Settings()
            settings.capacity = 4
            let recorder = AuditRecorder(store: store, settings: settings, logger: Self.logger)
            for n in 0..<10 { recorder.record(Self.entry(n)) }
            #expect(recorder.bufferedCount == 4)
            #expect(recorder.droppedCount == 6)
            await recorder.flush()
            let written = try await store.auditEvents(AuditFilter(), pageSize: 100, after: nil).events
            #expect(written.map(\.entry.requestID) == ["r0", "r1", "r2", "r3"])
        }
    }

    @Test func eventsTheStoreRefusesWaitForTheNextFlush() async throws {
        try await Self.withStore { store in
            let recorder = AuditRecorder(store: store, logger: Self.logger)
            recorder.record(Self.entry(1))
            try store.close()
            #expect(await recorder.flush() == false)
            #expect(recorder.bufferedCount == 1)
            #expect(recorder.droppedCount == 0)
        }
    }
}
