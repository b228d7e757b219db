/// A failed call: a status code, a message the caller can act on, optional trailers,
/// and the underlying cause (never sent on the wire).
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The gRPC status code; never `.ok`.
    public var code: StatusCode
    /// What went wrong, in words a caller can act on.
    public var message: String
    /// Metadata sent to the caller with the status.
    public var trailers: [String: String]
    /// The error that led to this one, for logs; it is not sent to the caller.
    public var cause: (any Error)?

    public init(code: StatusCode, message: String, trailers: [String: String] = [:], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.trailers = trailers
        self.cause = cause
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
