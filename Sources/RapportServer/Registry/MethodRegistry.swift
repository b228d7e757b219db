import Foundation
import RapportWire
import SwiftProtobuf

/// Serves one call of a registered method: decodes the request, runs the handler and returns
/// the serialized response (unary) or nil after streaming through the sink (server-streaming).
/// Responses are serialized into `MessageBuffer`s, which become the frames sent without a copy.
typealias MethodInvoker = @Sendable (
    _ payload: Data, _ context: CallContext, _ send: @escaping @Sendable (MessageBuffer) async throws -> Void
) async throws -> MessageBuffer?

/// A method the server can dispatch to.
struct RegisteredMethod: Sendable {
    let descriptor: AnyMethodDescriptor
    let invoke: MethodInvoker
}

/// Every method the server serves, by wire method string. Adding a service adds entries here;
/// the connection code only ever looks methods up.
public struct MethodRegistry: Sendable {
    private var methods: [String: RegisteredMethod] = [:]

    public init() {}

    /// Registers the handler of a unary method.
    public mutating func register<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        precondition(method.kind == .unary, "\(method.path) is server-streaming; register a streaming handler")
        add(method.erased) { payload, context, _ in
            let request: Request = try Self.decode(payload, for: method.erased)
            return try await handler(request, context).serializedBytes() as MessageBuffer
        }
    }

    /// Registers the handler of a server-streaming method.
    public mutating func register<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (Request, ResponseWriter<Response>, CallContext) async throws -> Void
    ) {
        precondition(method.kind == .serverStreaming, "\(method.path) is unary; register a unary handler")
        add(method.erased) { payload, context, send in
            let request: Request = try Self.decode(payload, for: method.erased)
            try await handler(request, ResponseWriter(sendPayload: send), context)
            return nil
        }
    }

    /// Every registered service with its methods, sorted by name.
    public var services: [ServiceDescriptor] {
        Dictionary(grouping: methods.values.map(\.descriptor), by: \.service)
            .map { ServiceDescriptor(name: $0.key, methods: $0.value.sorted { $0.method < $1.method }) }
            .sorted { $0.name < $1.name }
    }

    func method(at path: String) -> RegisteredMethod? {
        methods[path]
    }

    private mutating func add(_ descriptor: AnyMethodDescriptor, invoke: @escaping MethodInvoker) {
        precondition(methods[descriptor.path] == nil, "\(descriptor.path) is registered twice")
        methods[descriptor.path] = RegisteredMethod(descriptor: descriptor, invoke: invoke)
    }

    private static func decode<Request: SwiftProtobuf.Message>(
        _ payload: Data, for method: AnyMethodDescriptor
    ) throws -> Request {
        do {
            return try Request(serializedBytes: payload)
        } catch {
            throw RPCError(
                code: .invalidArgument,
                message: "request payload of \(payload.count) bytes does not decode as \(method.requestType)",
                cause: error
            )
        }
    }
}

/// A group of methods registered together: one protobuf service.
public protocol RPCService: Sendable {
    /// Adds this service's handlers to the registry.
    func register(into registry: inout MethodRegistry)
}

extension MethodRegistry {
    /// A registry holding every method of the given services.
    public init(services: [any RPCService]) {
        self.init()
        for service in services {
            service.register(into: &self)
        }
    }
}
