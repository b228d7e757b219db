import RapportDomain
import RapportProto
import RapportServer
import RapportStore
import RapportWire

/// Maps store failures to statuses a caller can act on; corruption also turns the server NOT_SERVING.
struct StoreErrorMapping: Sendable {
    let health: HealthMonitor
    /// What the service keeps ("customer", "product"), named in messages that tell callers what to re-read.
    var resource = "customer"

    /// Runs a store operation, translating its errors.
    func map<Value>(_ operation: () async throws -> Value) async throws -> Value {
        do {
            return try await operation()
        } catch let error as StoreError {
            throw status(for: error)
        } catch let failure as ValidationFailure {
            // Raised by a change applied inside a store transaction.
            throw RPCError(validation: failure)
        }
    }

    func status(for error: StoreError) -> RPCError {
        switch error.kind {
        case .alreadyExists(let field):
            return RPCError(
                code: .alreadyExists, message: "a \(resource) with this \(field) already exists", cause: error,
                logSummary: "\(path: resource) \(path: field) already exists")
        case .requestConflict(let field):
            let message = error.message.hasPrefix("\(field): ") ? error.message : "\(field): \(error.message)"
            return RPCError(
                code: .alreadyExists, message: message, cause: error, logSummary: "\(path: field): reused for another request")
        case .notFound:
            return RPCError(code: .notFound, message: error.message, cause: error, logSummary: "\(path: resource) not found")
        case .invalidReference(let field):
            // The store may already name the field; name it once.
            let message = error.message.hasPrefix("\(field): ") ? error.message : "\(field): \(error.message)"
            return RPCError(code: .invalidArgument, message: message, cause: error, logSummary: "\(path: field): unknown reference")
        case .preconditionFailed:
            return RPCError(code: .failedPrecondition, message: error.message, cause: error, logSummary: "precondition failed")
        case .batchRejected(let failures):
            return RPCError(
                code: .invalidArgument, message: "\(failures.count) items of the batch failed; nothing was recorded",
                cause: error, logSummary: "\(count: failures.count) items of the batch failed")
        case .etagMismatch:
            return RPCError(
                code: .aborted, message: "etag does not match the current version; read the \(resource) again and retry", cause: error,
                logSummary: "etag mismatch")
        case .invalidPageToken:
            return RPCError(code: .invalidArgument, message: error.message, cause: error, logSummary: "page_token: invalid")
        case .busy, .inUse:
            return RPCError(code: .unavailable, message: "the store is busy; retry with backoff", cause: error, logSummary: "store busy")
        case .unavailable:
            return RPCError(
                code: .unavailable, message: "the store is closed (the daemon is stopping); retry with backoff", cause: error,
                logSummary: "store closed")
        case .diskFull:
            return RPCError(code: .resourceExhausted, message: "the store is out of disk space", cause: error, logSummary: "disk full")
        case .readOnly:
            return RPCError(
                code: .failedPrecondition,
                message: "the store cannot write: its database is read-only (a read-only filesystem or file); nothing was written",
                cause: error, logSummary: "store read-only")
        case .ioError:
            // Not UNAVAILABLE: that tells callers to retry, and a failing disk does not pass.
            return RPCError(
                code: .internal,
                message: "the store could not read or write its files (an I/O error from the filesystem); the operator must check the data directory's disk",
                cause: error, logSummary: "store I/O error")
        case .corrupt:
            // Every service shares the one database, so none of them can be trusted any more.
            health.markAllNotServing()
            return RPCError(
                code: .internal, message: "the store is damaged; the daemon has stopped serving", cause: error, logSummary: "store damaged")
        case .other:
            return RPCError(code: .internal, message: "the store failed", cause: error, logSummary: "store failed")
        }
    }
}
