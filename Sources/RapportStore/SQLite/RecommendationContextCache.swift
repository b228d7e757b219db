import GRDB
import RapportDomain
import Synchronization

/// What a recommendation reads about a customer besides the customer row — consent decisions,
/// open follow-up items and the recent history — as last read, kept coherent by temporary
/// triggers on the writer connection.
///
/// Why: a recommendation read these with three statements on every request, about half of its
/// CPU (benchmarks/README.md), and they change far less often than they are read: the history
/// holds only `RecommendationContext.historyKinds` (inquiries, complaints, surveys, offers and their
/// outcomes), not the transactions that make up most of the log.
///
/// Why triggers: `consent_decisions` and `open_follow_ups` are `WITHOUT ROWID` tables, which
/// SQLite's update hook (and so GRDB's transaction observers) does not report, and a trigger's
/// `WHEN` lets the log's high-volume kinds pass without a call. A temporary trigger on the writer
/// connection reports every change that could alter an entry, whichever write path or cascade made
/// it, by calling `changedSQLFunction` with the row's customer; the commit then drops those
/// customers' entries and bumps a generation, as `CustomerCache` does for `customers` (a reader
/// stores what it read only if no such commit happened since it began).
final class RecommendationContextCache: TransactionObserver, Sendable {
    /// What is kept per customer.
    struct Entry: Sendable {
        /// Consent decisions, oldest first.
        let consents: [ConsentDecision]
        /// Every open follow-up item (raised at any time), earliest due first.
        let openFollowUps: [FollowUpItem]
        /// The history as read for one window (see `RecommendationContextRead.window`).
        let window: RecommendationContextRead.Window
        let history: [Interaction]
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Bumped by every commit that changed any customer's entry.
        var generation: UInt64 = 0
        /// Customers changed by the transaction in progress (the triggers run on the writer only).
        var changedCustomers: Set<String> = []
    }

    /// The SQL function the triggers call with a changed row's customer id.
    static let changedSQLFunction = "rapport_recommendation_context_changed"

    /// Entries kept at most; when full the cache starts over.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The cached entry, or nil on a miss.
    func entry(customerID: String) -> Entry? {
        state.withLock { $0.entries[customerID] }
    }

    /// The generation to pass to `store` after reading.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Keeps `entry` unless a commit changed any customer's entry since `generation` was read.
    func store(_ entry: Entry, customerID: String, readAt generation: UInt64) {
        guard capacity > 0 else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity {
                state.entries.removeAll(keepingCapacity: true)
            }
            state.entries[customerID] = entry
        }
    }

    /// Registers the SQL function and creates the temporary triggers on `db`, which must be the
    /// writer connection (temporary triggers live on their connection only), after migrations.
    func install(on db: Database) throws {
        db.add(function: DatabaseFunction(Self.changedSQLFunction, argumentCount: 1, pure: false) { [self] values in
            if let customerID = String.fromDatabaseValue(values[0]) { recordChange(customerID: customerID) }
            return nil
        })
        try db.execute(sql: Self.triggersSQL)
    }

    /// Whether `row`'s kind is one of the history's, as comparisons with literals (fixed enum names,
    /// no quotes in them): an `IN` list would build a temporary index each time the trigger runs,
    /// which made seeding a third slower.
    private static func isHistoryKind(_ row: String) -> String {
        "(" + RecommendationContext.historyKinds.map { "\(row).kind = '\($0.rawValue)'" }.sorted().joined(separator: " OR ") + ")"
    }

    /// Every change that could alter an entry: (table, event, condition, the changed customers).
    static let watchedChanges: [(table: String, event: String, condition: String?, customers: [String])] = [
        ("consent_decisions", "INSERT", nil, ["NEW.customer_id"]),
        ("consent_decisions", "UPDATE", nil, ["OLD.customer_id", "NEW.customer_id"]),
        ("consent_decisions", "DELETE", nil, ["OLD.customer_id"]),
        ("open_follow_ups", "INSERT", nil, ["NEW.customer_id"]),
        ("open_follow_ups", "UPDATE", nil, ["OLD.customer_id", "NEW.customer_id"]),
        ("open_follow_ups", "DELETE", nil, ["OLD.customer_id"]),
        // The history: only its kinds; a transaction logged changes no entry.
        ("interactions", "INSERT", isHistoryKind("NEW"), ["NEW.customer_id"]),
        // Any change to a logged interaction (a follow-up item carries one too).
        ("interactions", "UPDATE", nil, ["OLD.customer_id", "NEW.customer_id"]),
        ("interactions", "DELETE", isHistoryKind("OLD"), ["OLD.customer_id"]),
        // A deleted customer's entry, even one with nothing to cascade through.
        ("customers", "DELETE", nil, ["OLD.id"]),
    ]

    static let triggersSQL: String = watchedChanges.map { table, event, condition, customers in
        let calls: String = customers.map { "SELECT \(changedSQLFunction)(\($0));" }.joined(separator: " ")
        let when = condition.map { " WHEN \($0)" } ?? ""
        return "CREATE TEMP TRIGGER rapport_\(table)_\(event.lowercased()) AFTER \(event) ON main.\(table)\(when) BEGIN \(calls) END;"
    }.joined(separator: "\n")

    // MARK: TransactionObserver (called on the writer connection's queue)

    /// No row events: the triggers report the changes; GRDB calls commit and rollback regardless.
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }

    func databaseDidChange(with event: DatabaseEvent) {}

    func databaseDidCommit(_ db: Database) { committed() }

    func databaseDidRollback(_ db: Database) { rolledBack() }

    // MARK: The transaction's changes

    /// A trigger saw `customerID`'s rows change in the transaction in progress.
    func recordChange(customerID: String) {
        state.withLock { _ = $0.changedCustomers.insert(customerID) }
    }

    /// The transaction committed: its customers' entries go, and reads begun before it are not kept.
    func committed() {
        state.withLock { state in
            guard !state.changedCustomers.isEmpty else { return }
            state.generation &+= 1
            for customerID in state.changedCustomers {
                state.entries.removeValue(forKey: customerID)
            }
            state.changedCustomers.removeAll(keepingCapacity: true)
        }
    }

    /// The transaction rolled back: nothing it changed is stored.
    func rolledBack() {
        state.withLock { $0.changedCustomers.removeAll(keepingCapacity: true) }
    }
}
