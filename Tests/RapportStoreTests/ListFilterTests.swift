import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct ListFilterTests {
    /// 48 customers covering every combination of a few values, with varied names.
    static func population() -> [Customer] {
        let names = ["Zoë Ångström", "zoe smith", "ZOE   Adams", "Anna Berg", "Ann Lee", "Ánn Leigh", "Bob Stone", "Chloé Martin"]
        var customers: [Customer] = []
        var index = 0
        for tier in [ValueTier.mass, .affluent] {
            for stage in [LifecycleStage.growth, .maturity] {
                for risk in [RiskLevel.conservative, .aggressive, nil] {
                    for branch in ["BR001", "BR002"] {
                        customers.append(makeCustomer(
                            name: names[index % names.count], tier: tier, stage: stage, risk: risk, branch: branch,
                            manager: index % 3 == 0 ? "RM-A" : "RM-B"))
                        index += 1
                    }
                }
            }
        }
        return customers
    }

    static let queries: [CustomerQuery] = [
        CustomerQuery(),
        CustomerQuery(valueTier: .affluent),
        CustomerQuery(lifecycleStage: .maturity),
        CustomerQuery(riskLevel: .aggressive),
        CustomerQuery(branchID: "BR002"),
        CustomerQuery(relationshipManagerID: "RM-A"),
        CustomerQuery(namePrefix: "zoe"),
        CustomerQuery(namePrefix: "ANN "),
        CustomerQuery(namePrefix: "ann"),
        CustomerQuery(valueTier: .mass, lifecycleStage: .growth, branchID: "BR001"),
        CustomerQuery(riskLevel: .conservative, relationshipManagerID: "RM-B"),
        CustomerQuery(valueTier: .affluent, branchID: "BR002", namePrefix: "Zoé"),
        CustomerQuery(branchID: "", relationshipManagerID: "", namePrefix: "  "),
        CustomerQuery(branchID: "BR404"),
    ]

    /// What a query should return, by plain Swift filtering, in id order.
    static func expected(_ query: CustomerQuery, in customers: [Customer]) -> [String] {
        let prefix = query.namePrefix.flatMap(NameKey.prefix(for:))
        let matches = customers.filter { customer in
            let profile = customer.profile
            return (query.valueTier.map { $0 == customer.segmentation.valueTier } ?? true)
                && (query.lifecycleStage.map { $0 == customer.segmentation.lifecycleStage } ?? true)
                && (query.riskLevel.map { $0 == profile.riskLevel } ?? true)
                && (query.branchID.map { $0.isEmpty || $0 == profile.branchID } ?? true)
                && (query.relationshipManagerID.map { $0.isEmpty || $0 == profile.relationshipManagerID } ?? true)
                && (prefix.map { NameKey.key(for: profile.fullName).hasPrefix($0) } ?? true)
        }
        // Name-prefix lists too are in id order: the file keeps no names to sort by.
        return matches.map(\.id).sorted()
    }

    @Test func eachFilterAndCombinationReturnsExactlyItsMatchesInOrder() async throws {
        try await withStore { store in
            let customers = try await store.importCustomers(Self.population())
            for query in Self.queries {
                let expected = Self.expected(query, in: customers)
                let onePage = try await store.list(query, pageSize: 1000, after: nil)
                #expect(onePage.customers.map(\.id) == expected, "query \(query)")
                #expect(onePage.next == nil)

                var paged: [String] = []
                var cursor: PageCursor?
                repeat {
                    let page = try await store.list(query, pageSize: 5, after: cursor)
                    paged += page.customers.map(\.id)
                    #expect(page.customers.count == 5 || page.next == nil)
                    cursor = try page.next.map { try store.pageTokens.cursor(store.pageTokens.token(for: $0, query: query), for: query) }
                } while cursor != nil
                #expect(paged == expected, "paged query \(query)")
            }
        }
    }

    @Test func nameFilterFoldsCaseAccentsAndSpaces() async throws {
        try await withStore { store in
            _ = try await store.importCustomers(Self.population())
            let zoe = try await store.list(CustomerQuery(namePrefix: "ZOË"), pageSize: 100, after: nil)
            #expect(Set(zoe.customers.map(\.profile.fullName)) == ["Zoë Ångström", "zoe smith", "ZOE   Adams"])
            let annSpace = try await store.list(CustomerQuery(namePrefix: "ann  l"), pageSize: 100, after: nil)
            #expect(Set(annSpace.customers.map(\.profile.fullName)) == ["Ann Lee", "Ánn Leigh"])
        }
    }

    @Test func lastPageHasNoCursorAndPageSizeIsClamped() async throws {
        try await withStore { store in
            _ = try await store.importCustomers((0..<3).map { _ in makeCustomer() })
            let page = try await store.list(CustomerQuery(), pageSize: 3, after: nil)
            #expect(page.customers.count == 3)
            #expect(page.next == nil)
            let tiny = try await store.list(CustomerQuery(), pageSize: 0, after: nil)
            #expect(tiny.customers.count == 1)
            #expect(tiny.next != nil)
        }
    }
}
