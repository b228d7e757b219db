/// A failed call: a status code, a message the caller can act on, optional trailers,
/// the underlying cause (never sent on the wire) and what the daemon's log may say about it.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The gRPC status code; never `.ok`.
    public var code: StatusCode
    /// What went wrong, in words a caller can act on.
    public var message: String
    /// Metadata sent to the caller with the status.
    public var trailers: [String: String]
    /// The error that led to this one, for logs; it is not sent to the caller.
    public var cause: (any Error)?
    /// What the daemon logs about this error beside its code, instead of `message`: a message
    /// may quote what the caller sent (ids, dates of birth, amounts), a summary never does.
    /// Nil logs the code alone. Not sent to the caller.
    public var logSummary: LogSummary?

    public init(
        code: StatusCode, message: String, trailers: [String: String] = [:], cause: (any Error)? = nil,
        logSummary: LogSummary? = nil
    ) {
        self.code = code
        self.message = message
        self.trailers = trailers
        self.cause = cause
        self.logSummary = logSummary
    }

    public var description: String {
        "\(code): \(message)"
    }
}

extension RPCError {
    /// The error carried by a wire status; nil when the status is OK.
    public init?(status: Rapport_Wire_V1_Status, trailers: [String: String] = [:]) {
        let code = StatusCode(wireValue: status.code)
        guard code != .ok else { return nil }
        self.init(code: code, message: status.message, trailers: trailers)
    }

    /// The wire form of this error's status.
    public var wireStatus: Rapport_Wire_V1_Status {
        .with {
            $0.code = code.rawValue
            $0.message = message
        }
    }
}

extension Rapport_Wire_V1_Status {
    /// The OK status.
    public static var ok: Rapport_Wire_V1_Status { .with { $0.code = StatusCode.ok.rawValue } }
}
