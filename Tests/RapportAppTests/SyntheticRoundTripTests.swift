import Foundation
import RapportApp
import RapportDomain
import RapportStore
import Testing

/// Realistic customers (the seeder's) read back from the store exactly as they were written:
/// the profile and segmentation columns lose nothing (dates, money, optional fields, enums,
/// products with closing dates, segment reasons).
@Suite("Synthetic customers round-trip through the store")
struct SyntheticRoundTripTests {
    private let today = CalendarDate(year: 2026, month: 11, day: 23)
    private let now = Date(timeIntervalSince1970: 1_795_435_200)

    @Test func everySyntheticCustomerReadsBackEqual() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-rt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // No decoded-customer cache: every read decodes the stored row.
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory, customerCacheCapacity: 0))
        defer { try? store.close() }
        let synthetic = SyntheticCustomers(seed: 11)
        let segmenter = Segmenter(policy: .defaults)
        let customers = (0..<1500).map { index in
            var (profile, days) = synthetic.customer(index, today: today)
            // Some products closed, some profiles thinner than the seeder makes them.
            for position in profile.products.indices where (index + position) % 3 == 0 {
                profile.products[position].closedOn = today.adding(days: -(index % 400))
            }
            if index % 7 == 0 { profile.address = nil; profile.kycStatus = nil }
            if index % 11 == 0 { profile.annualIncome = nil; profile.preferredChannel = nil; profile.riskLevel = nil }
            if index % 13 == 0 { profile.dateOfBirth = nil; profile.products = [] }
            let since = now.addingTimeInterval(-Double(days) * 86_400)
            let created = now.addingTimeInterval(Double(index) * 0.001)
            return Customer(
                id: SQLiteCustomerStore.newCustomerID(now: created),
                externalRef: index % 5 == 0 ? nil : "SEED-11-\(index)",
                profile: profile,
                segmentation: segmenter.segment(profile, customerSince: since, activity: nil, today: today),
                createdAt: created, updatedAt: created, etag: "")
        }
        let stored = try await store.importCustomers(customers)
        #expect(stored.count == customers.count)
        for (customer, written) in zip(customers, stored) {
            #expect(written.profile == customer.profile)
            #expect(written.segmentation == customer.segmentation)
            let read = try await store.customer(id: customer.id)
            #expect(read == written, "customer \(customer.id)")
        }
        var listed: [Customer] = []
        var cursor: PageCursor?
        repeat {
            let page = try await store.list(CustomerQuery(), pageSize: 250, after: cursor)
            listed += page.customers
            cursor = page.next
        } while cursor != nil
        #expect(Set(listed) == Set(stored))
    }
}
