import Foundation
import RapportServices
import RapportDomain
import RapportStore

/// Fills a store with synthetic customers and their interaction histories in batches, reporting progress as it goes.
public struct Seeder: Sendable {
    /// Customers per transaction: large enough to amortise the commit, small enough to show progress.
    public static let batchSize = 1000
    /// Interactions per import transaction.
    public static let interactionBatchSize = 10_000

    /// How far seeding has got.
    public struct Progress: Sendable, Hashable {
        public var customers: Int
        public var interactions: Int

        public init(customers: Int = 0, interactions: Int = 0) {
            self.customers = customers
            self.interactions = interactions
        }
    }

    let store: SQLiteCustomerStore
    let segmenter: Segmenter
    let customers: SyntheticCustomers
    let interactionsPerCustomer: Int
    let followUpSLA: TimeInterval

    /// - Parameter interactionsPerCustomer: the average history length; 0 seeds customers only.
    public init(
        store: SQLiteCustomerStore, policy: SegmentationPolicy, seed: UInt64, interactionsPerCustomer: Int = 0,
        interactionPolicy: InteractionPolicy = .defaults
    ) {
        self.store = store
        self.segmenter = Segmenter(policy: policy)
        self.customers = SyntheticCustomers(seed: seed)
        self.interactionsPerCustomer = max(0, interactionsPerCustomer)
        self.followUpSLA = interactionPolicy.followUpSLA
    }

    /// How many interactions `seed(count:now:progress:)` will write; cheap next to the writing.
    public func plannedInteractions(count: Int, now: Date = Date()) -> Int {
        guard interactionsPerCustomer > 0 else { return 0 }
        let today = CalendarDate(utcDayOf: now)
        let histories = interactions(now: now)
        return (0..<max(0, count)).reduce(0) { total, index in
            let (profile, days) = customers.customer(index, today: today)
            return total + histories.plan(index, profile: profile, joinedDaysAgo: days).count
        }
    }

    /// Creates `count` customers, each with its history; customer `index` gets external ref
    /// `SEED-<seed>-<index>`, so a second run with the same seed is refused (ALREADY_EXISTS on
    /// external_ref) instead of duplicating anyone.
    ///
    /// Interactions get ids from the store's generator and `now` as their recorded time, in the
    /// order written (so ids sort in recording order), and are written after their customers.
    public func seed(count: Int, now: Date = Date(), progress: (Progress) -> Void) async throws {
        let today = CalendarDate(utcDayOf: now)
        let histories = interactions(now: now)
        let context = LogContext(now: now, followUpSLA: followUpSLA, segmenter: segmenter)
        var done = Progress()
        var pending: [Interaction] = []
        while done.customers < count {
            var batch = SeedBatch()
            for index in done.customers..<min(count, done.customers + Self.batchSize) {
                batch.add(customer(index, now: now, today: today, histories: histories), now: now)
            }
            _ = try await store.importCustomers(batch.customers)
            if !batch.consents.isEmpty {
                try await store.importConsent(batch.consents, recordedAt: now)
            }
            done.customers += batch.customers.count
            pending += batch.interactions
            while pending.count >= Self.interactionBatchSize || (done.customers >= count && !pending.isEmpty) {
                let chunk = Array(pending.prefix(Self.interactionBatchSize))
                try await store.importInteractions(chunk, context: context)
                pending.removeFirst(chunk.count)
                done.interactions += chunk.count
                progress(done)
            }
            progress(done)
        }
    }

    private func interactions(now: Date) -> SyntheticInteractions {
        SyntheticInteractions(seed: customers.seed, averagePerCustomer: interactionsPerCustomer, now: now, followUpSLA: followUpSLA)
    }

    /// Customer `index`, segmented with the activity of its history, and that history.
    private func customer(
        _ index: Int, now: Date, today: CalendarDate, histories: SyntheticInteractions
    ) -> (Customer, SyntheticHistory?) {
        let (profile, days) = customers.customer(index, today: today)
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        var customer = Customer.new(
            profile: profile, externalRef: "SEED-\(customers.seed)-\(index)", customerSince: since, now: now, segmenter: segmenter)
        guard interactionsPerCustomer > 0 else { return (customer, nil) }
        let history = histories.history(index, profile: profile, valueTier: customer.segmentation.valueTier, joinedDaysAgo: days)
        if !history.interactions.isEmpty {
            // Segmented with the activity the store will derive, so survey responses are written
            // under the stage the customer is in and the store's re-segmentation finds nothing to change.
            customer.segmentation = segmenter.segment(profile, customerSince: since, activity: history.activity(today: today), today: today)
        }
        return (customer, history)
    }
}

/// One batch of seeded customers with their consent and interactions, ids assigned.
private struct SeedBatch {
    var customers: [Customer] = []
    var consents: [(customerID: String, decisions: [ConsentDecision])] = []
    var interactions: [Interaction] = []

    mutating func add(_ entry: (customer: Customer, history: SyntheticHistory?), now: Date) {
        let customer = entry.customer
        customers.append(customer)
        guard let history = entry.history else { return }
        consents.append((customer.id, history.consents))
        var ids: [String] = []
        ids.reserveCapacity(history.interactions.count)
        for draft in history.interactions {
            let id = SQLiteCustomerStore.newInteractionID(now: now)
            interactions.append(draft.interaction(
                id: id, customerID: customer.id, recordedAt: now, followUpOf: draft.followUpOf.map { ids[$0] }))
            ids.append(id)
        }
    }
}
