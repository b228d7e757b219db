import SwiftProtobuf

/// Whether a method answers with one message or a stream of them.
public enum MethodKind: String, Sendable, Hashable {
    case unary
    case serverStreaming
}

/// A method of a service, typed by its request and response messages.
public struct MethodDescriptor<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>: Sendable {
    /// The method without its types: what the registry and reflection see.
    public let erased: AnyMethodDescriptor

    public init(service: String, method: String, kind: MethodKind) {
        erased = AnyMethodDescriptor(
            service: service,
            method: method,
            kind: kind,
            requestType: Request.protoMessageName,
            responseType: Response.protoMessageName
        )
    }

    /// The wire method string, `/package.Service/Method`.
    public var path: String { erased.path }
    /// Unary or server-streaming.
    public var kind: MethodKind { erased.kind }
}

/// A method of a service described by names only.
public struct AnyMethodDescriptor: Sendable, Hashable {
    /// The fully-qualified service name, e.g. `rapport.health.v1.Health`.
    public let service: String
    /// The method name, e.g. `Check`.
    public let method: String
    public let kind: MethodKind
    /// Fully-qualified protobuf type names.
    public let requestType: String
    public let responseType: String

    public init(service: String, method: String, kind: MethodKind, requestType: String, responseType: String) {
        self.service = service
        self.method = method
        self.kind = kind
        self.requestType = requestType
        self.responseType = responseType
    }

    /// The wire method string, `/package.Service/Method`.
    public var path: String { "/\(service)/\(method)" }
}

/// A service and its methods.
public struct ServiceDescriptor: Sendable, Hashable {
    /// The fully-qualified service name.
    public let name: String
    public let methods: [AnyMethodDescriptor]

    public init(name: String, methods: [AnyMethodDescriptor]) {
        self.name = name
        self.methods = methods
    }
}
