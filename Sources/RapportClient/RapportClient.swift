import Foundation
import RapportWire
import SwiftProtobuf

/// A connection to a Rapport daemon that multiplexes unary and server-streaming calls.
///
/// Call `close()` when done: the connection stays open until then or until the server closes it.
/// Every error thrown by a call is an `RPCError`.
public final class RapportClient: Sendable {
    private let connection: ClientConnection

    private init(connection: ClientConnection) {
        self.connection = connection
    }

    /// Opens the TCP connection; failure is `UNAVAILABLE` "cannot connect to HOST:PORT: <reason>".
    public static func connect(
        host: String,
        port: Int,
        configuration: ClientConfiguration = .defaults
    ) async throws -> RapportClient {
        RapportClient(connection: try await ClientConnection.connect(host: host, port: port, configuration: configuration))
    }

    /// Sends one request and waits for the one response (or the call's failure).
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = .defaults
    ) async throws -> Response {
        let payload = try MessageCoding.encode(request)
        let bytes = try await connection.unary(path: method.path, payload: payload, options: options)
        return try MessageCoding.decode(Response.self, from: bytes)
    }

    /// Sends one request; the returned stream yields the responses and ends with the call.
    /// Stopping iteration or dropping the stream cancels the call on the server.
    public func serverStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = .defaults
    ) async throws -> ResponseStream<Response> {
        let payload = try MessageCoding.encode(request)
        let call = try connection.open(path: method.path, payload: payload, options: options)
        let calls = connection.calls
        return ResponseStream(base: call.responses) { error in calls.cancel(call.id, because: error) }
    }

    /// A unary call by method path ("/package.Service/Method") with serialized messages.
    public func unaryRaw(path: String, payload: [UInt8], options: CallOptions = .defaults) async throws -> [UInt8] {
        [UInt8](try await connection.unary(path: path, payload: payload, options: options))
    }

    /// A server-streaming call by method path with serialized messages; errors are `RPCError`.
    public func serverStreamingRaw(
        path: String,
        payload: [UInt8],
        options: CallOptions = .defaults
    ) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        try connection.open(path: path, payload: payload, options: options).responses
    }

    /// The round trip of a Ping to the server and its Pong.
    public func ping() async throws -> Duration {
        try await connection.ping()
    }

    /// True once the connection is gone, closed by either side.
    public var isClosed: Bool {
        connection.calls.isClosed
    }

    /// Closes the connection; calls in flight fail with `CANCELLED` "client closed", later ones with `UNAVAILABLE`.
    public func close() async {
        await connection.close()
    }
}
