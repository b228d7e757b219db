import GRDB

/// One table of counts keyed by some columns: its upsert and its delete of a row at 0, built
/// once and run as cached statements, so a delta costs one or two statements per changed count.
///
/// Rows whose count reaches 0 are deleted, so a table lists only keys someone counts, and a
/// read never has to skip zeros.
struct CountTable: Sendable {
    private let upsert: String
    private let deleteEmpty: String

    init(table: String, keys: [String], count: String) {
        let columns = keys.joined(separator: ", ")
        let placeholders = keys.map { _ in "?" }.joined(separator: ", ")
        upsert = """
            INSERT INTO \(table) (\(columns), \(count)) VALUES (\(placeholders), ?)
            ON CONFLICT (\(columns)) DO UPDATE SET \(count) = \(count) + excluded.\(count)
            """
        deleteEmpty = "DELETE FROM \(table) WHERE \(keys.map { "\($0) = ?" }.joined(separator: " AND ")) AND \(count) <= 0"
    }

    /// Adds `change` to one row's count (`key`: the key columns' values, in order), creating the
    /// row if needed and deleting it at 0.
    func add(_ change: Int, to key: StatementArguments, _ db: Database) throws {
        try db.cachedStatement(sql: upsert).execute(arguments: key + [change])
        if change < 0 {
            try db.cachedStatement(sql: deleteEmpty).execute(arguments: key)
        }
    }
}
