import Logging
import RapportWire

/// What a handler knows about the call it is serving.
public struct CallContext: Sendable {
    /// The client's id for this call, unique among its in-flight calls on the connection.
    public let callID: UInt64
    /// The method being served.
    public let method: AnyMethodDescriptor
    /// The caller's metadata, as sent.
    public let metadata: [String: String]
    /// When the caller stops waiting; nil when it set no timeout.
    public let deadline: ContinuousClock.Instant?
    /// The caller's `x-request-id` when it sent a usable one, otherwise one made by the server.
    public let requestID: String
    /// A logger carrying the request id, method and connection; never log payloads with it.
    public let logger: Logger
    /// Every service this server serves, for reflection.
    public let services: [ServiceDescriptor]

    public init(
        callID: UInt64,
        method: AnyMethodDescriptor,
        metadata: [String: String],
        deadline: ContinuousClock.Instant?,
        requestID: String,
        logger: Logger,
        services: [ServiceDescriptor]
    ) {
        self.callID = callID
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.requestID = requestID
        self.logger = logger
        self.services = services
    }
}
