import Foundation
import GRDB

extension StoreError {
    /// Maps an SQLite error to a store error, keeping the original as the cause.
    init(mapping error: DatabaseError) {
        let code = error.extendedResultCode
        let detail = error.message ?? "\(error.resultCode)"
        switch code.primaryResultCode {
        case .SQLITE_CONSTRAINT:
            switch code {
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
                let field = Self.constrainedColumn(in: detail) ?? "unknown"
                self.init(.alreadyExists(field: field), "\(field) is already in use", cause: error)
            case .SQLITE_CONSTRAINT_FOREIGNKEY:
                self.init(.notFound, "the referenced customer does not exist", cause: error)
            default:
                self.init(.other, "constraint violation: \(detail)", cause: error)
            }
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.busy, "the database is busy; retry later", cause: error)
        case .SQLITE_FULL:
            self.init(.diskFull, "the disk holding the database is full", cause: error)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self.init(.corrupt, "the database file is corrupt: \(detail)", cause: error)
        case .SQLITE_READONLY:
            self.init(.readOnly, "the database cannot be written (\(detail)); is its filesystem read-only?", cause: error)
        case .SQLITE_IOERR:
            self.init(.ioError, "reading or writing the database's files failed (\(detail))", cause: error)
        case .SQLITE_CANTOPEN:
            self.init(.ioError, "the database's files cannot be opened (\(detail))", cause: error)
        case .SQLITE_MISUSE:
            // What a closed connection reports (GRDB says "Connection is closed"; SQLite itself,
            // through BEGIN on a closed handle, "out of memory"): the daemon is shutting down.
            self.init(.unavailable, "the store is closed", cause: error)
        default:
            self.init(.other, "database error: \(detail)", cause: error)
        }
    }

    /// Maps any error thrown inside the store: SQLite errors and undecodable rows become store
    /// errors; store errors and everything else (cancellation, callers' errors) pass unchanged.
    static func mapping(_ error: any Error) -> any Error {
        switch error {
        case let error as StoreError:
            error
        case let error as DatabaseError:
            StoreError(mapping: error)
        case let error as RowDecodingError:
            StoreError(.corrupt, "a stored row cannot be decoded", cause: error)
        default:
            error
        }
    }

    /// The column in "UNIQUE constraint failed: customers.external_ref" (the first, if several).
    static func constrainedColumn(in message: String) -> String? {
        guard let range = message.range(of: "failed: ") else { return nil }
        let columns = message[range.upperBound...]
        let first = columns.split(separator: ",").first?.trimmingCharacters(in: .whitespaces) ?? ""
        let column = first.split(separator: ".").last.map(String.init) ?? ""
        return column.isEmpty ? nil : column
    }
}
