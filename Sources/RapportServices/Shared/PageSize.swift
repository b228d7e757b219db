import RapportWire

/// The page size of every paginated list: 0 takes the default, more than the maximum is capped.
enum PageSize {
    /// What an unset `page_size` gets.
    static let defaultSize = 50
    /// The largest page served; larger requests get this many.
    static let maximum = 1000

    /// The page size to serve for a request's `page_size`.
    /// - Throws: INVALID_ARGUMENT naming `field` when it is negative.
    static func resolve(_ requested: Int32, field: String = "page_size") throws(RPCError) -> Int {
        guard requested >= 0 else {
            throw RPCError(
                code: .invalidArgument, message: "\(field) must not be negative (0 gives \(defaultSize), at most \(maximum))",
                logSummary: "\(path: field): negative")
        }
        return requested == 0 ? defaultSize : min(Int(requested), maximum)
    }
}
