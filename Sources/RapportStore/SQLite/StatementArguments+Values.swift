import GRDB

extension StatementArguments {
    /// Arguments from values already converted.
    ///
    /// GRDB's initializer for a sequence of `DatabaseValueConvertible` maps it through a key path
    /// that the runtime instantiates on every call: 2% of a recommendation's CPU for one follow-up
    /// read. The optional-existential initializer maps with a closure instead.
    init(databaseValues: [DatabaseValue]) {
        self.init(databaseValues.map { $0 as (any DatabaseValueConvertible)? })
    }
}
