import RapportWire
import SwiftProtobuf

/// Sends the messages of a server-streaming call, in order.
public struct ResponseWriter<Response: SwiftProtobuf.Message>: Sendable {
    private let sendPayload: @Sendable (MessageBuffer) async throws -> Void

    init(sendPayload: @escaping @Sendable (MessageBuffer) async throws -> Void) {
        self.sendPayload = sendPayload
    }

    /// Sends one message; throws when the call has ended (cancelled, deadline, connection gone).
    public func send(_ message: Response) async throws {
        try Task.checkCancellation()
        try await sendPayload(try message.serializedBytes() as MessageBuffer)
    }
}
