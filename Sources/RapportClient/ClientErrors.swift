import RapportWire

/// The errors the client raises itself, so every path words them the same way.
enum ClientErrors {
    static let cancelled = RPCError(code: .cancelled, message: "call was cancelled")
    static let clientClosed = RPCError(code: .cancelled, message: "client closed")
    static let clientClosedRefusal = RPCError(code: .unavailable, message: "client closed")

    static func goingAway(_ message: String) -> RPCError {
        RPCError(code: .unavailable, message: "connection is closing: \(message)")
    }

    /// Callers must only ever see `RPCError`; anything else is wrapped.
    static func wrap(_ error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case is CancellationError: cancelled
        default: RPCError(code: .unknown, message: "\(error)", cause: error)
        }
    }

    /// The error for a call that ended without the message or status it was waiting for.
    static func endedEarly() -> RPCError {
        Task.isCancelled ? cancelled : RPCError(code: .internal, message: "call ended without a response")
    }
}
