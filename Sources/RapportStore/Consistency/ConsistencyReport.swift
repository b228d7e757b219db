/// What `SQLiteCustomerStore.checkConsistency` found: one entry per check, in the order run.
///
/// Examples name keys (ids, codes, days) and counts only, never personal data, so a report can
/// be pasted into a ticket.
public struct ConsistencyReport: Sendable, Hashable {
    /// One check: SQLite's own (`integrity_check`, `foreign_key_check`) or one derived table
    /// recomputed from the rows it derives from.
    public struct Check: Sendable, Hashable {
        /// What was checked, e.g. "activity daily counts (customer_activity)".
        public var name: String
        /// Rows (keys) compared: the union of stored and recomputed keys, or for SQLite's checks
        /// the problems it listed.
        public var compared: Int
        /// Keys missing, extra, or with different values; for SQLite's checks, problems listed.
        public var mismatched: Int
        /// Up to the requested number of mismatches, each naming the key and both values.
        public var examples: [String]
        /// What the check cannot see, when it compares less than the whole table; empty otherwise.
        public var notes: String

        public init(name: String, compared: Int, mismatched: Int, examples: [String], notes: String = "") {
            self.name = name
            self.compared = compared
            self.mismatched = mismatched
            self.examples = examples
            self.notes = notes
        }

        public var isConsistent: Bool { mismatched == 0 }
    }

    public var checks: [Check]

    public init(checks: [Check]) {
        self.checks = checks
    }

    /// Whether every check found nothing wrong.
    public var isConsistent: Bool { checks.allSatisfy(\.isConsistent) }

    /// The check whose name starts with `prefix`, if any.
    public func check(named prefix: String) -> Check? {
        checks.first { $0.name.hasPrefix(prefix) }
    }
}
