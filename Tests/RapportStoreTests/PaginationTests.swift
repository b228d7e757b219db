import Foundation
import RapportDomain
import Synchronization
import Testing
@testable import RapportStore

@Suite struct PaginationTests {
    @Test func pagesOverTenThousandCustomersWhileRowsAreInserted() async throws {
        try await withStore(synchronous: .normal) { store in
            let tiers = ValueTier.allCases
            var existing: [String] = []
            for batch in 0..<10 {
                let customers = (0..<1000).map { index in
                    makeCustomer(name: "Customer \(batch * 1000 + index)", tier: tiers[index % tiers.count])
                }
                existing += try await store.importCustomers(customers).map(\.id)
            }
            let query = CustomerQuery()
            let progress = PagingProgress()

            let (seen, insertedBeforeLastRead, inserted) = try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    var inserted: [String] = []
                    while !progress.pagingDone, inserted.count < 2000 {
                        inserted.append(try await store.create(makeCustomer(name: "Late"), requestID: nil).customer.id)
                        progress.insertCommitted()
                    }
                    return inserted
                }
                var seen: [String] = []
                var token: String?
                var committedBeforeLastRead = 0
                repeat {
                    committedBeforeLastRead = progress.committedInserts
                    let cursor = try token.map { try store.pageTokens.cursor($0, for: query) }
                    let page = try await store.list(query, pageSize: 137, after: cursor)
                    #expect(page.customers.count == 137 || page.next == nil)
                    seen += page.customers.map(\.id)
                    token = page.next.map { store.pageTokens.token(for: $0, query: query) }
                    await Task.yield()
                } while token != nil
                progress.finishPaging()
                let inserted = try await group.next() ?? []
                return (seen, Array(inserted.prefix(committedBeforeLastRead)), inserted)
            }

            #expect(Set(seen).count == seen.count, "no customer is listed twice")
            #expect(seen == seen.sorted(), "the order is stable: by id")
            let seenSet = Set(seen)
            #expect(existing.allSatisfy(seenSet.contains), "every pre-existing customer is listed")
            #expect(Array(seen.prefix(existing.count)) == existing.sorted(), "pre-existing customers come first")
            #expect(seenSet.subtracting(existing).isSubset(of: Set(inserted)))
            #expect(!inserted.isEmpty, "rows were inserted while paging")
            // New ids sort after every id already read, so each insert committed before the last
            // page was read is listed.
            #expect(insertedBeforeLastRead.allSatisfy(seenSet.contains))
        }
    }
}

/// What the inserting task has done, and whether paging is over.
private final class PagingProgress: Sendable {
    private let done = Atomic<Bool>(false)
    private let inserts = Atomic<Int>(0)

    var pagingDone: Bool { done.load(ordering: .acquiring) }
    var committedInserts: Int { inserts.load(ordering: .acquiring) }

    func finishPaging() { done.store(true, ordering: .releasing) }
    func insertCommitted() { inserts.add(1, ordering: .releasing) }
}
