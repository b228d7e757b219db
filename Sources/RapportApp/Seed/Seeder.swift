import Foundation
import RapportServices
import RapportDomain
import RapportStore

/// Fills a store with synthetic customers in batches, reporting progress as it goes.
public struct Seeder: Sendable {
    /// Customers per transaction: large enough to amortise the commit, small enough to show progress.
    public static let batchSize = 1000

    let store: SQLiteCustomerStore
    let segmenter: Segmenter
    let customers: SyntheticCustomers

    public init(store: SQLiteCustomerStore, policy: SegmentationPolicy, seed: UInt64) {
        self.store = store
        self.segmenter = Segmenter(policy: policy)
        self.customers = SyntheticCustomers(seed: seed)
    }

    /// Creates `count` customers; customer `index` gets external ref `SEED-<seed>-<index>`, so a second
    /// run with the same seed is refused (ALREADY_EXISTS on external_ref) instead of duplicating anyone.
    public func seed(count: Int, now: Date = Date(), progress: (Int) -> Void) async throws {
        let today = CalendarDate(utcDayOf: now)
        var done = 0
        while done < count {
            let batch = (done..<min(count, done + Self.batchSize)).map { customer($0, now: now, today: today) }
            _ = try await store.importCustomers(batch)
            done += batch.count
            progress(done)
        }
    }

    private func customer(_ index: Int, now: Date, today: CalendarDate) -> Customer {
        let (profile, years) = customers.customer(index, today: today)
        let since = now.addingTimeInterval(-Double(years) * 365.25 * 86_400)
        return Customer.new(
            profile: profile, externalRef: "SEED-\(customers.seed)-\(index)", customerSince: since, now: now, segmenter: segmenter)
    }
}
