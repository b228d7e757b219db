import Foundation

/// What erasing a customer did: their data key is destroyed (every copy of their personal data,
/// in the database, its write-ahead log and backups, is unreadable) and their rows are removed.
public struct ErasureReceipt: Sendable, Hashable {
    /// One kind of fact kept without the customer's identity.
    public struct KeptFact: Sendable, Hashable {
        /// What was kept, e.g. "survey_responses".
        public var kind: String
        public var count: Int
        /// How it is kept, in words.
        public var description: String

        public init(kind: String, count: Int, description: String) {
            self.kind = kind
            self.count = count
            self.description = description
        }
    }

    /// "era_" and 26 time-ordered characters.
    public var id: String
    /// The erased customer's id (no personal data).
    public var customerID: String
    public var erasedAt: Date
    public var kept: [KeptFact]

    public init(id: String, customerID: String, erasedAt: Date, kept: [KeptFact]) {
        self.id = id
        self.customerID = customerID
        self.erasedAt = erasedAt
        self.kept = kept
    }
}
