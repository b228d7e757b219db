import RapportDomain
import RapportWire

/// Runs a mapping step, turning a ValidationFailure into INVALID_ARGUMENT naming the field.
func invalidArgument<Value>(_ body: () throws(ValidationFailure) -> Value) throws(RPCError) -> Value {
    do {
        return try body()
    } catch {
        throw RPCError(validation: error)
    }
}

/// Throws INVALID_ARGUMENT for a validator's failure.
func check(_ failure: ValidationFailure?) throws(RPCError) {
    if let failure { throw RPCError(validation: failure) }
}

extension RPCError {
    /// INVALID_ARGUMENT naming the field, e.g. "profile.email: must be a well-formed address";
    /// the log gets the field path alone, since reasons quote the value ("got 1899-05-17").
    init(validation failure: ValidationFailure) {
        self.init(
            code: .invalidArgument, message: "\(failure.field): \(failure.reason)", cause: failure,
            logSummary: "\(path: failure.field): invalid")
    }
}

/// The idempotency key every write with a `request_id` accepts.
enum RequestIDRule {
    /// The longest request id.
    static let maxLength = 128

    /// Why `id` is not a usable request id, or nil (an empty id means none and is fine).
    static func failure(_ id: String, field: String = "request_id") -> ValidationFailure? {
        guard id.count <= maxLength, id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return ValidationFailure(
                field: field, reason: "must be at most \(maxLength) printable ASCII characters without spaces")
        }
        return nil
    }
}
