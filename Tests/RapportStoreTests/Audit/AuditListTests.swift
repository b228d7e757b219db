import Foundation
import Testing
@testable import RapportStore

@Suite("Audit trail: lists, filters, pages and exports")
struct AuditListTests {
    static func seed(_ store: SQLiteCustomerStore) async throws {
        var entries: [AuditEntry] = []
        for n in 1...30 {
            var entry = AuditChainTests.entry(n, customers: n.isMultiple(of: 3) ? ["cus_A", "cus_B"] : ["cus_B"],
                                              principal: n.isMultiple(of: 2) ? "even" : "odd",
                                              outcome: n.isMultiple(of: 5) ? "PERMISSION_DENIED" : "OK")
            entry.method = n <= 10 ? "/a" : "/b"
            entries.append(entry)
        }
        try await store.appendAuditEvents(entries)
    }

    static func ids(_ store: SQLiteCustomerStore, _ filter: AuditFilter) async throws -> [Int64] {
        try await store.auditEvents(filter, pageSize: 1000, after: nil).events.map(\.id)
    }

    @Test func eachFilterSelectsItsEvents() async throws {
        try await withStore { store in
            try await Self.seed(store)
            #expect(try await Self.ids(store, AuditFilter(customerID: "cus_A")) == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30])
            #expect(try await Self.ids(store, AuditFilter(principal: "odd", customerID: "cus_A")) == [3, 9, 15, 21, 27])
            #expect(try await Self.ids(store, AuditFilter(method: "/a", outcome: "PERMISSION_DENIED")) == [5, 10])
            let base = Date(timeIntervalSince1970: 1_750_000_000)
            #expect(try await Self.ids(store, AuditFilter(from: base + 28, before: nil)) == [28, 29, 30])
            #expect(try await Self.ids(store, AuditFilter(from: base + 2, before: base + 4)) == [2, 3])
            #expect(try await Self.ids(store, AuditFilter(customerID: "cus_none")).isEmpty)
        }
    }

    @Test func pagesFollowEachOtherThroughTokensBoundToTheFilter() async throws {
        try await withStore { store in
            try await Self.seed(store)
            let filter = AuditFilter(customerID: "cus_B")
            var ids: [Int64] = []
            var cursor: AuditCursor?
            repeat {
                let page = try await store.auditEvents(filter, pageSize: 7, after: cursor)
                ids += page.events.map(\.id)
                #expect(page.events.count <= 7)
                if let next = page.next {
                    let token = store.pageTokens.token(for: next, filter: filter)
                    cursor = try store.pageTokens.cursor(token, for: filter)
                    #expect(throws: StoreError.self) { _ = try store.pageTokens.cursor(token, for: AuditFilter(customerID: "cus_A")) }
                } else {
                    cursor = nil
                }
            } while cursor != nil
            #expect(ids == Array(1...30))
        }
    }

    @Test func exportChunksResumeAfterTheLastId() async throws {
        try await withStore { store in
            try await Self.seed(store)
            let filter = AuditFilter(principal: "even")
            let first = try await store.auditExportChunk(filter, afterID: 0, limit: 4)
            let second = try await store.auditExportChunk(filter, afterID: try #require(first.last).id, limit: 100)
            #expect((first + second).map(\.id) == Array(stride(from: 2, through: 30, by: 2)))
        }
    }
}
