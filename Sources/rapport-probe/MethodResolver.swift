import ArgumentParser
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf

/// Turns a method string and a JSON request into what a raw call needs, using the daemon's reflection.
struct ResolvedCall {
    let path: String
    let info: Rapport_Reflection_V1_MethodInfo
    let payload: [UInt8]
    let responseType: any SwiftProtobuf.Message.Type

    /// Accepts `/package.Service/Method` or `package.Service/Method`.
    static func resolve(method: String, json: String, client: RapportClient, options: CallOptions) async throws -> ResolvedCall {
        let path = method.hasPrefix("/") ? method : "/" + method
        let listing = try await client.reflection.listServices(options: options)
        guard let info = listing.services.flatMap(\.methods).first(where: { $0.path == path }) else {
            throw RPCError(code: .unimplemented, message: "the daemon does not serve '\(path)'; see rapport-probe list")
        }
        let requestType = try messageType(named: info.requestType)
        let request: any SwiftProtobuf.Message
        do {
            request = try requestType.init(jsonString: json)
        } catch {
            throw ProbeSession.fail("the request is not valid JSON for \(info.requestType): \(error)")
        }
        return ResolvedCall(
            path: path, info: info, payload: try request.serializedBytes(), responseType: try messageType(named: info.responseType))
    }

    /// Another request of the same method, from its JSON; for benches that vary the request.
    func payload(json: String) throws -> [UInt8] {
        let request: any SwiftProtobuf.Message
        do {
            request = try Self.messageType(named: info.requestType).init(jsonString: json)
        } catch {
            throw ProbeSession.fail("a request is not valid JSON for \(info.requestType): \(error)")
        }
        return try request.serializedBytes()
    }

    /// Renders a response payload as protobuf JSON.
    func json(of payload: [UInt8]) throws -> String {
        try responseType.init(serializedBytes: payload).jsonString()
    }

    private static func messageType(named name: String) throws -> any SwiftProtobuf.Message.Type {
        guard let type = RapportCatalog.messageType(named: name) else {
            throw ProbeSession.fail("this rapport-probe does not know the message type \(name); use a probe built from the daemon's version")
        }
        return type
    }
}
