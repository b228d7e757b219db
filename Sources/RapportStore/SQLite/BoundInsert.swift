import Foundation
import GRDB
import GRDBSQLite

/// Runs a cached write statement with values bound through SQLite's C API, for the few inserts
/// made once per call at volume (the audit trail's), where building GRDB's `StatementArguments`
/// dominated the insert (benchmarks/JOURNAL.md).
///
/// Safe beside GRDB because GRDB installs its update hook only while one of its own statements
/// executes (its transaction observers see nothing of these rows, which none of them observes),
/// and the statement is left reset with its bindings cleared, as GRDB leaves its statements.
/// Use it only for statements that change no table a transaction observer watches.
struct BoundInsert {
    private let statement: Statement
    private let handle: OpaquePointer

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// Binds the values `bind` sets, runs the statement to completion, and resets it.
    func run(_ db: Database, _ bind: (inout Bindings) -> Void) throws {
        var bindings = Bindings(handle: handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        bind(&bindings)
        if let failure = bindings.failure {
            throw DatabaseError(resultCode: ResultCode(rawValue: failure), message: db.lastErrorMessage, sql: statement.sql)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
        }
    }

    /// The values of one run, by 1-based parameter index; values are copied by SQLite.
    struct Bindings {
        fileprivate let handle: OpaquePointer
        /// The first failed bind's result code.
        fileprivate var failure: CInt?

        mutating func bind(_ value: Int64, at index: CInt) {
            record(sqlite3_bind_int64(handle, index, value))
        }

        mutating func bind(_ value: String, at index: CInt) {
            var value = value
            let code = value.withUTF8 { bytes -> CInt in
                // SQLite binds NULL for a null pointer: an empty text gets a pointer of its own.
                guard let start = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
                return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(handle, index, $0, CInt(clamping: bytes.count), Self.transient)
                }
            }
            record(code)
        }

        mutating func bind(_ value: Data, at index: CInt) {
            let code = value.withUnsafeBytes { bytes -> CInt in
                guard let start = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
                return sqlite3_bind_blob(handle, index, start, CInt(clamping: bytes.count), Self.transient)
            }
            record(code)
        }

        private mutating func record(_ code: CInt) {
            if code != SQLITE_OK, failure == nil { failure = code }
        }

        /// SQLite copies the value before the bind call returns.
        private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
