/// Why a request was refused: the wire field path a caller sees (snake_case) and a reason for them.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field as the caller wrote it, e.g. "profile.email" or "profile.products[2].opened_on".
    public let field: String
    /// What is wrong, phrased for the caller, e.g. "must be an E.164 number such as +447700900123".
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// "field: reason", the form INVALID_ARGUMENT messages use.
    public var description: String { "\(field): \(reason)" }
}
