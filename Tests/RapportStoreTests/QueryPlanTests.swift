import Foundation
import RapportDomain
import Testing
@testable import RapportStore

@Suite struct QueryPlanTests {
    static let cases: [(CustomerQuery, String)] = [
        (CustomerQuery(), "sqlite_autoindex_customers_1"),
        (CustomerQuery(valueTier: .affluent), "customers_by_value_tier"),
        (CustomerQuery(lifecycleStage: .growth), "customers_by_lifecycle_stage"),
        (CustomerQuery(riskLevel: .moderate), "customers_by_risk_level"),
        (CustomerQuery(branchID: "BR001"), "customers_by_branch"),
        (CustomerQuery(relationshipManagerID: "RM001"), "customers_by_relationship_manager"),
        (CustomerQuery(namePrefix: "ann"), "customers_by_name_key"),
        (CustomerQuery(valueTier: .mass, lifecycleStage: .decline), "customers_by_lifecycle_stage"),
        (CustomerQuery(valueTier: .mass, riskLevel: .aggressive, branchID: "B"), "customers_by_branch"),
        (CustomerQuery(valueTier: .mass, lifecycleStage: .growth, riskLevel: .moderate, branchID: "B", relationshipManagerID: "R"),
         "customers_by_relationship_manager"),
        (CustomerQuery(valueTier: .mass, branchID: "B", relationshipManagerID: "R", namePrefix: "zoe"), "customers_by_name_key"),
        // Shorter than a name bucket: the other filters drive, and names are checked after decryption.
        (CustomerQuery(valueTier: .mass, branchID: "B", relationshipManagerID: "R", namePrefix: "zo"), "customers_by_relationship_manager"),
    ]

    @Test(arguments: cases)
    func everyFilterIsServedByAnIndexRangeWithoutSorting(_ query: CustomerQuery, _ index: String) async throws {
        try await withStore { store in
            // With some rows (and statistics) too, so the planner cannot be right only on an empty table.
            _ = try await store.importCustomers(ListFilterTests.population())
            try await store.pool.write { try $0.execute(sql: "ANALYZE") }
            let nameKey = query.namePrefix.flatMap(NameKey.prefix(for:))
            for cursor in [nil, PageCursor(afterID: "cus_5", afterNameKey: nameKey.map { $0 + "m" })] {
                let plan = try await store.listQueryPlan(query, after: cursor)
                let text = plan.joined(separator: "\n")
                #expect(plan.count == 1, "one index, nothing else:\n\(text)")
                #expect(text.contains("SEARCH customers USING INDEX \(index) ("), "\(text)")
                #expect(!text.contains("TEMP B-TREE"), "no sort:\n\(text)")
                #expect(!text.contains("SCAN customers"), "no scan:\n\(text)")
            }
        }
    }
}
