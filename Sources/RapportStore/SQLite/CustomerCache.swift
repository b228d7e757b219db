import GRDB
import RapportDomain
import Synchronization

/// Decoded customers by id, for point reads, kept coherent by watching every change to the
/// `customers` table as a GRDB transaction observer.
///
/// Why: decoding a customer's row costs more than the SQLite lookup itself, and the same
/// customers are read again and again (a relationship manager's book, a call in progress).
///
/// Coherence does not depend on the write paths remembering to invalidate: SQLite reports every
/// inserted, updated or deleted `customers` row to the observer, which drops those rows' entries
/// once the transaction commits and bumps a generation. A reader remembers the generation before
/// it reads and stores its result only if no commit changed `customers` in between, so a value
/// read from a snapshot older than a commit is never stored after that commit's invalidation.
final class CustomerCache: TransactionObserver, Sendable {
    private struct Entry {
        let customer: Customer
        let rowID: Int64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var idsByRowID: [Int64: String] = [:]
        /// Bumped by every commit that changed `customers`.
        var generation: UInt64 = 0
        /// Rows changed by the transaction in progress (the observer runs on the writer only).
        var changedRowIDs: Set<Int64> = []
    }

    /// Entries kept at most; when full the cache starts over (simple, and hot customers return fast).
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The cached customer, or nil on a miss.
    func customer(id: String) -> Customer? {
        state.withLock { $0.entries[id]?.customer }
    }

    /// The generation to pass to `store` after reading.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Keeps `customer` unless a commit changed `customers` since `generation` was read.
    func store(_ customer: Customer, rowID: Int64, readAt generation: UInt64) {
        guard capacity > 0 else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity {
                state.entries.removeAll(keepingCapacity: true)
                state.idsByRowID.removeAll(keepingCapacity: true)
            }
            state.entries[customer.id] = Entry(customer: customer, rowID: rowID)
            state.idsByRowID[rowID] = customer.id
        }
    }

    /// For the writer, inside a write transaction: the cached customer unless the transaction in
    /// progress has already changed it (the cache holds committed rows; the writer is the only
    /// one committing, so a cached customer it has not changed is its current row).
    func customerInWriteTransaction(id: String) -> Customer? {
        state.withLock { state in
            guard let entry = state.entries[id], !state.changedRowIDs.contains(entry.rowID) else { return nil }
            return entry.customer
        }
    }

    /// For the writer, inside a write transaction: keeps `customer` read from row `rowID` unless
    /// the transaction in progress changed that row (it might still roll back).
    func storeInWriteTransaction(_ customer: Customer, rowID: Int64) {
        guard capacity > 0 else { return }
        let generation = state.withLock { $0.changedRowIDs.contains(rowID) ? nil : $0.generation }
        if let generation { store(customer, rowID: rowID, readAt: generation) }
    }

    // MARK: TransactionObserver (called on the writer connection's queue)

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "customers"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        let rowID = event.rowID
        state.withLock { _ = $0.changedRowIDs.insert(rowID) }
    }

    func databaseDidCommit(_ db: Database) {
        state.withLock { state in
            guard !state.changedRowIDs.isEmpty else { return }
            state.generation &+= 1
            for rowID in state.changedRowIDs {
                if let id = state.idsByRowID.removeValue(forKey: rowID) {
                    state.entries.removeValue(forKey: id)
                }
            }
            state.changedRowIDs.removeAll(keepingCapacity: true)
        }
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0.changedRowIDs.removeAll(keepingCapacity: true) }
    }
}
