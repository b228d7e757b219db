import Foundation
import RapportWire

/// A call the server refused before its handler ran, for want of a credential, a permission or
/// room under the caller's concurrency limit.
public struct CallRefusal: Sendable, Hashable {
    /// When it was refused.
    public let time: Date
    /// The wire path of the method called, e.g. "/rapport.v1.CustomerService/GetCustomer".
    public let method: String
    /// The principal's name when the credential was valid; nil when it was missing or unknown.
    public let principal: String?
    /// UNAUTHENTICATED, PERMISSION_DENIED or RESOURCE_EXHAUSTED.
    public let code: StatusCode
    /// The call's request id (the caller's `x-request-id`, or one the server made).
    public let requestID: String
    /// The caller's address ("ip:port"); nil when unknown.
    public let peer: String?

    public init(time: Date, method: String, principal: String?, code: StatusCode, requestID: String, peer: String?) {
        self.time = time
        self.method = method
        self.principal = principal
        self.code = code
        self.requestID = requestID
        self.peer = peer
    }
}

/// Told of every refused call; the audit trail records them. Called on the event loop: it must
/// not block (buffer and write elsewhere).
public protocol CallRefusalObserver: Sendable {
    func callRefused(_ refusal: CallRefusal)
}
