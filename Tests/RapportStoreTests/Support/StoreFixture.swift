import Foundation
import RapportDomain
@testable import RapportStore

/// Runs `body` with a store on a new temporary data directory, then closes and removes it.
func withStore<T>(
    synchronous: StoreConfiguration.SynchronousMode = .full,
    configure: (inout StoreConfiguration) -> Void = { _ in },
    _ body: (SQLiteCustomerStore) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    var configuration = StoreConfiguration(dataDirectory: directory.path, synchronous: synchronous)
    configure(&configuration)
    let store = try SQLiteCustomerStore(configuration: configuration)
    do {
        let result = try await body(store)
        try store.close()
        return result
    } catch {
        try? store.close()
        throw error
    }
}

/// A customer ready to create, with a fresh id.
func makeCustomer(
    name: String = "Ada Lovelace",
    externalRef: String? = nil,
    tier: ValueTier = .mass,
    stage: LifecycleStage = .growth,
    risk: RiskLevel? = .moderate,
    branch: String = "BR001",
    manager: String = "RM001",
    now: Date = Date()
) -> Customer {
    var profile = CustomerProfile()
    profile.fullName = name
    profile.email = "someone@example.com"
    profile.branchID = branch
    profile.relationshipManagerID = manager
    profile.riskLevel = risk
    profile.dateOfBirth = CalendarDate(year: 1980, month: 2, day: 29)
    profile.assetsUnderManagement = Money(minorUnits: 12_345_678, currencyCode: "GBP")
    profile.products = [ProductHolding(productCode: "CURRENT", openedOn: CalendarDate(year: 2020, month: 1, day: 5))]
    return Customer(
        id: SQLiteCustomerStore.newCustomerID(now: now),
        externalRef: externalRef,
        profile: profile,
        segmentation: Segmentation(
            valueTier: tier, valueTierReasons: ["assets under threshold"],
            lifecycleStage: stage, lifecycleReasons: ["tenure under two years"]),
        createdAt: now,
        updatedAt: now,
        etag: "")
}

/// A test-only error for change closures.
struct RejectedChange: Error, Equatable {
    let field: String
}

/// Runs `body` and returns the `StoreError` it throws, or nil if it throws none or another error.
func storeError(_ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return nil
    }
}

extension SQLiteCustomerStore {
    /// The number of rows of `table` whose `column` equals `value`.
    func count(_ table: String, where column: String, is value: String) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(column) = ?", arguments: [value]) ?? -1
        }
    }
}
