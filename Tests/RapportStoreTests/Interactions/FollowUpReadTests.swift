import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct FollowUpReadTests {
    /// Complaints and survey responses of three customers (two in BR001), many sharing an
    /// occurred time, and follow-ups closing every seventh item.
    static func population(_ store: SQLiteCustomerStore) async throws -> (customers: [String], log: [Interaction]) {
        let customers = try await ReadFixture.customers(store, count: 3, branches: ["BR001", "BR002"])
        var log: [Interaction] = []
        for index in 0..<600 {
            let kind: InteractionKind = index % 3 == 0 ? .complaint : .surveyResponse
            // Scores 0–10 in turn: 7 of 11 responses are detractors.
            log.append(ReadFixture.interaction(
                ReadFixture.id(index), customer: customers[index % 3], kind: kind,
                at: ReadFixture.time(Int64((index * 37) % 120) * 60_000), score: index % 11))
        }
        let opened = log.filter { $0.followUpReason != nil }
        for (offset, item) in opened.enumerated() where offset % 7 == 0 {
            log.append(ReadFixture.interaction(
                ReadFixture.id(1000 + offset), customer: item.customerID, kind: .followUp, at: ReadFixture.time(7_200_000),
                followUpOf: item.id))
        }
        try await ReadFixture.load(log, into: store)
        return (customers, log)
    }

    /// The open items, earliest due first, by plain Swift.
    static func expected(_ log: [Interaction], customers: Set<String>) -> [FollowUpItem] {
        let closed = Set(log.compactMap(\.followUpOf))
        return log.compactMap { FollowUpSchedule(sla: ReadFixture.day).item(for: $0) }
            .filter { !closed.contains($0.interaction.id) && customers.contains($0.interaction.customerID) }
            .sorted { ($0.dueAt, $0.interaction.id) < ($1.dueAt, $1.interaction.id) }
    }

    static func pageThrough(_ store: SQLiteCustomerStore, _ filter: FollowUpFilter, pageSize: Int) async throws -> [FollowUpItem] {
        var items: [FollowUpItem] = []
        var token: String?
        repeat {
            let cursor = try token.map { try store.pageTokens.cursor($0, for: filter) }
            let page = try await store.followUps(filter, pageSize: pageSize, after: cursor)
            #expect(page.items.count == pageSize || page.next == nil)
            items += page.items
            token = page.next.map { store.pageTokens.token(for: $0, filter: filter) }
        } while token != nil
        return items
    }

    @Test func pagesEarliestDueFirstWithTiesByIDUnderEachFilter() async throws {
        try await withStore(synchronous: .normal) { store in
            let (customers, log) = try await Self.population(store)
            let cases: [(FollowUpFilter, Set<String>)] = [
                (FollowUpFilter(), Set(customers)),
                (FollowUpFilter(customerID: customers[1]), [customers[1]]),
                (FollowUpFilter(branchID: "BR001"), [customers[0], customers[2]]),
                (FollowUpFilter(customerID: customers[2], branchID: "BR001"), [customers[2]]),
                (FollowUpFilter(customerID: customers[1], branchID: "BR001"), []),
                (FollowUpFilter(customerID: "", branchID: ""), Set(customers)),
                (FollowUpFilter(branchID: "BR404"), []),
            ]
            for (filter, owners) in cases {
                let expected = Self.expected(log, customers: owners)
                for pageSize in [1000, 23] {
                    let items = try await Self.pageThrough(store, filter, pageSize: pageSize)
                    #expect(items == expected, "filter \(filter), page size \(pageSize)")
                }
            }
            let all = try await store.followUps(FollowUpFilter(), pageSize: 1000, after: nil).items
            #expect(Set(all.map(\.reason)) == [.complaint, .detractor])
            #expect(all.count > 200)
        }
    }

    @Test func aLoggedFollowUpRemovesTheItem() async throws {
        try await withStore { store in
            let customer = try await ReadFixture.customers(store, count: 1)[0]
            let complaint = ReadFixture.interaction("int_1", customer: customer, kind: .complaint, at: ReadFixture.time(0))
            let detractor = ReadFixture.interaction(
                "int_2", customer: customer, kind: .surveyResponse, at: ReadFixture.time(-60_000), score: 2)
            let promoter = ReadFixture.interaction("int_3", customer: customer, kind: .surveyResponse, at: ReadFixture.time(0))
            try await ReadFixture.load([complaint, detractor, promoter], into: store)
            let before = try await store.followUps(FollowUpFilter(customerID: customer), pageSize: 10, after: nil)
            #expect(before.items.map(\.interaction) == [detractor, complaint])
            #expect(before.items.map(\.reason) == [.detractor, .complaint])
            #expect(before.items.first?.dueAt == ReadFixture.time(-60_000).addingTimeInterval(ReadFixture.day))
            try await ReadFixture.load(
                [ReadFixture.interaction("int_4", customer: customer, kind: .followUp, at: ReadFixture.time(1), followUpOf: "int_2")],
                into: store)
            let after = try await store.followUps(FollowUpFilter(), pageSize: 10, after: nil)
            #expect(after.items.map(\.interaction.id) == ["int_1"])
            #expect(after.next == nil)
        }
    }
}
