/// A violation of the framing rules by the peer; the connection cannot continue after one.
public struct WireProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of violation.
    public enum Kind: Sendable, Hashable {
        /// The length prefix announced more bytes than the configured limit.
        case frameTooLarge
        /// The frame body is not a valid `rapport.wire.v1.Frame`.
        case malformedFrame
        /// The peer closed the connection in the middle of a frame.
        case truncatedFrame
        /// A frame started arriving but was not complete within the frame-read timeout.
        case frameTimeout
        /// The frame is well-formed but breaks a rule of the protocol (zero or duplicate call id, ...).
        case protocolViolation
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The status sent in the `GoAway` that closes the connection.
    public var statusCode: StatusCode {
        switch kind {
        case .frameTooLarge: .resourceExhausted
        case .frameTimeout: .deadlineExceeded
        case .malformedFrame, .truncatedFrame, .protocolViolation: .invalidArgument
        }
    }

    public var description: String { message }
}
