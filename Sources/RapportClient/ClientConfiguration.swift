/// Connection-wide settings of a `RapportClient`.
public struct ClientConfiguration: Sendable {
    /// The largest frame body, in bytes, either side may send; larger requests fail locally
    /// with `RESOURCE_EXHAUSTED`, and a larger inbound frame closes the connection.
    public var maxFrameSize: Int
    /// How long `RapportClient.connect` waits for the TCP connection.
    public var connectTimeout: Duration
    /// TLS for the connection; nil speaks plain TCP.
    public var tls: ClientTLS?
    /// Sent as `authorization: Bearer <token>` metadata on every call (unless a call sets its own
    /// `authorization`); nil sends none. `LocalCredential.find` looks one up the usual way.
    public var bearerToken: String?

    public init(
        maxFrameSize: Int = 4_194_304, connectTimeout: Duration = .seconds(5), tls: ClientTLS? = nil, bearerToken: String? = nil
    ) {
        self.maxFrameSize = maxFrameSize
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.bearerToken = bearerToken
    }

    /// 4 MiB frames, a 5 second connect timeout.
    public static var defaults: ClientConfiguration { ClientConfiguration() }
}
