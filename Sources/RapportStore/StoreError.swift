/// A store failure: what kind of failure, a message for people, and the underlying error.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in terms a service can map to a status.
    public enum Kind: Sendable, Hashable {
        /// A unique value is already taken; `field` names it (for example "external_ref").
        case alreadyExists(field: String)
        /// A client request id was already used for a different request (another customer or
        /// another contact); `field` names the request id field. Nothing was written.
        case requestConflict(field: String)
        /// No such customer.
        case notFound
        /// A field refers to something that does not exist or is not the caller's (for example a
        /// follow-up of another customer's interaction); `field` names it.
        case invalidReference(field: String)
        /// The request is valid but the stored state forbids it (for example marketing without
        /// marketing consent on that channel).
        case preconditionFailed
        /// Some items of a batch failed; nothing was written. Every failed item is listed.
        indirect case batchRejected([BatchItemFailure])
        /// The caller's etag is not the current one; nothing was written.
        case etagMismatch
        /// A page token is malformed or belongs to another query.
        case invalidPageToken
        /// The database stayed locked beyond the busy timeout.
        case busy
        /// The disk (or the database size limit) is full.
        case diskFull
        /// The database file is corrupt or not a database.
        case corrupt
        /// The database cannot be written.
        case readOnly
        /// The store's files could not be read, written or opened: the operating system reported
        /// an I/O error (a failing disk, a filesystem gone read-only or away). Not transient as
        /// `busy` is; an operator has to look at the disk.
        case ioError
        /// The store cannot be used: it is closed, or its data directory could not be set up.
        case unavailable
        /// The data directory is locked by another process or store.
        case inUse
        /// Anything else.
        case other
    }

    /// What went wrong.
    public var kind: Kind
    /// A message a caller can act on.
    public var message: String
    /// The underlying error, when there is one.
    public var cause: (any Error)?

    /// - Parameters:
    ///   - kind: What went wrong.
    ///   - message: A message a caller can act on.
    ///   - cause: The underlying error, when there is one.
    public init(_ kind: Kind, _ message: String, cause: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause {
            return "\(kind): \(message) (cause: \(cause))"
        }
        return "\(kind): \(message)"
    }
}
