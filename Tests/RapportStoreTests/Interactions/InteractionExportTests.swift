import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct InteractionExportTests {
    /// 2,400 interactions of 6 customers, ids not in occurred order.
    static func population(_ store: SQLiteCustomerStore) async throws -> [Interaction] {
        let customers = try await ReadFixture.customers(store, count: 6)
        let kinds: [InteractionKind] = [.inquiry, .surveyResponse, .transaction, .complaint, .marketingContact]
        let channels: [Channel] = [.atm, .chat, .branch, .social]
        let log = (0..<2400).map { index in
            ReadFixture.interaction(
                ReadFixture.id(index), customer: customers[index % customers.count], kind: kinds[index % kinds.count],
                channel: channels[(index / 5) % channels.count], at: ReadFixture.time(Int64((index * 613) % 2400) * 1000))
        }
        try await ReadFixture.load(log.shuffled(), into: store)
        return log
    }

    /// The whole export of `filter`, resuming from the last id of each chunk.
    static func export(_ store: SQLiteCustomerStore, _ filter: InteractionFilter, chunk: Int) async throws -> [Interaction] {
        var exported: [Interaction] = []
        while true {
            let next = try await store.exportChunk(filter: filter, afterID: exported.last?.id, limit: chunk)
            #expect(next.count <= chunk)
            exported += next
            if next.count < chunk { return exported }
        }
    }

    static let filters: [InteractionFilter] = [
        InteractionFilter(),
        InteractionFilter(kinds: [.surveyResponse]),
        InteractionFilter(channels: [.chat, .social], kinds: [.inquiry, .complaint]),
        InteractionFilter(occurredFrom: ReadFixture.time(300_000), occurredBefore: ReadFixture.time(900_000)),
        InteractionFilter(occurredFrom: ReadFixture.time(2_000_000), channels: [.atm]),
        InteractionFilter(occurredBefore: ReadFixture.time(0)),
    ]

    @Test(arguments: filters)
    func exportsEveryMatchOnceInIDOrderAcrossChunks(_ filter: InteractionFilter) async throws {
        try await withStore(synchronous: .normal) { store in
            let log = try await Self.population(store)
            let expected = log.filter { matches($0, filter) }.sorted { $0.id < $1.id }
            for chunk in [1000, 333, 50] {
                let exported = try await Self.export(store, filter, chunk: chunk)
                #expect(exported == expected, "chunk \(chunk), filter \(filter)")
            }
        }
    }

    @Test func resumesAfterAnyIDAndClampsTheLimit() async throws {
        try await withStore(synchronous: .normal) { store in
            let log = try await Self.population(store).sorted { $0.id < $1.id }
            let resumed = try await store.exportChunk(filter: InteractionFilter(), afterID: log[1233].id, limit: 10)
            #expect(resumed.map(\.id) == log[1234..<1244].map(\.id))
            // An id that is not stored resumes at the next stored one.
            let between = try await store.exportChunk(filter: InteractionFilter(), afterID: log[99].id + "0", limit: 1)
            #expect(between.map(\.id) == [log[100].id])
            #expect(try await store.exportChunk(filter: InteractionFilter(), afterID: "", limit: 0).map(\.id) == [log[0].id])
            #expect(try await store.exportChunk(filter: InteractionFilter(), afterID: nil, limit: 9999).count == 1000)
            #expect(try await store.exportChunk(filter: InteractionFilter(), afterID: log.last?.id, limit: 10).isEmpty)
        }
    }
}
