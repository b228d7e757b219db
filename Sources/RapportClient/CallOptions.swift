/// Per-call settings: an optional deadline and metadata sent with the request.
public struct CallOptions: Sendable {
    /// How long the caller waits for the whole call; nil waits for the server's status
    /// (or the connection's end). Sent to the server as `timeout_ms` and enforced locally.
    public var timeout: Duration?
    /// Sent with the request (request id, auth token, ...); keys should be lower-case ASCII.
    public var metadata: [String: String]

    public init(timeout: Duration? = nil, metadata: [String: String] = [:]) {
        self.timeout = timeout
        self.metadata = metadata
    }

    /// No deadline, no metadata.
    public static var defaults: CallOptions { CallOptions() }
}
