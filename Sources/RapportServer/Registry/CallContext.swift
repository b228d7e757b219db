import Logging
import RapportAccess
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
    public var requestID: String { requestIDSource.text }
    /// Kept unformatted until asked for: most calls never log or fail, so never need the string.
    private let requestIDSource: RequestID.Source
    /// A logger carrying the request id, call id, method and connection; never log payloads with it.
    ///
    /// Built on each use: setting metadata makes swift-log's stream handler re-render all of it,
    /// which on every call would cost more than a point read; most calls never log.
    public var logger: Logger {
        var logger = connectionLogger
        logger[metadataKey: "request_id"] = "\(requestID)"
        logger[metadataKey: "call_id"] = "\(callID)"
        logger[metadataKey: "method"] = "\(method.path)"
        return logger
    }
    /// The connection's logger, without the call's metadata.
    private let connectionLogger: Logger
    /// Every service this server serves, for reflection.
    public let services: [ServiceDescriptor]
    /// Who is calling, as their credential proved; nil only for a call to an open method made
    /// without a credential.
    public let principal: Principal?
    /// The caller's address ("ip:port"), for the audit trail; nil when unknown.
    public let peer: String?

    public init(
        callID: UInt64,
        method: AnyMethodDescriptor,
        metadata: [String: String],
        deadline: ContinuousClock.Instant?,
        requestID: String,
        logger: Logger,
        services: [ServiceDescriptor],
        principal: Principal? = nil,
        peer: String? = nil
    ) {
        self.init(
            callID: callID, method: method, metadata: metadata, deadline: deadline, requestID: .given(requestID),
            logger: logger, services: services, principal: principal, peer: peer)
    }

    init(
        callID: UInt64,
        method: AnyMethodDescriptor,
        metadata: [String: String],
        deadline: ContinuousClock.Instant?,
        requestID: RequestID.Source,
        logger: Logger,
        services: [ServiceDescriptor],
        principal: Principal?,
        peer: String?
    ) {
        self.principal = principal
        self.peer = peer
        self.callID = callID
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.requestIDSource = requestID
        self.connectionLogger = logger
        self.services = services
    }
}
