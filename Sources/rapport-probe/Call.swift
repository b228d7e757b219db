import ArgumentParser
import RapportClient
import RapportProto
import RapportWire
import SwiftProtobuf

/// `rapport-probe call METHOD JSON`: one call with a JSON request, the response printed as JSON.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call a method with a JSON request and print the response as JSON.",
        discussion: """
            METHOD is '/package.Service/Method' or 'package.Service/Method'. The request and response \
            use protobuf's JSON mapping; a streaming method prints one JSON object per line.
            Example: rapport-probe call /rapport.diagnostics.v1.Diagnostics/Echo '{"payload": "aGk="}'
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("metadata"), help: "Call metadata as key=value; repeatable.")
    var metadata: [String] = []

    @Argument(help: "The method to call.")
    var method: String

    @Argument(help: "The request as JSON.")
    var json = "{}"

    func run() async throws {
        let path = method.hasPrefix("/") ? method : "/" + method
        let metadata = try parsedMetadata()
        try await ProbeSession.run(connection) { session in
            var options = session.options
            options.metadata = metadata
            let info = try await describe(path, client: session.client, options: session.options)
            let requestType = try Self.message(named: info.requestType)
            let request: any SwiftProtobuf.Message
            do {
                request = try requestType.init(jsonString: json)
            } catch {
                throw ProbeSession.fail("the request is not valid JSON for \(info.requestType): \(error)")
            }
            let responseType = try Self.message(named: info.responseType)
            let payload: [UInt8] = try request.serializedBytes()
            if info.serverStreaming {
                for try await bytes in try await session.client.serverStreamingRaw(path: path, payload: payload, options: options) {
                    print(try responseType.init(serializedBytes: bytes).jsonString())
                }
            } else {
                let bytes = try await session.client.unaryRaw(path: path, payload: payload, options: options)
                print(try responseType.init(serializedBytes: bytes).jsonString())
            }
        }
    }

    /// The method's types, from the daemon's own reflection so the probe never guesses.
    private func describe(_ path: String, client: RapportClient, options: CallOptions) async throws -> Rapport_Reflection_V1_MethodInfo {
        let listing = try await client.reflection.listServices(options: options)
        guard let info = listing.services.flatMap(\.methods).first(where: { $0.path == path }) else {
            throw RPCError(code: .unimplemented, message: "the daemon does not serve '\(path)'; see rapport-probe list")
        }
        return info
    }

    private static func message(named name: String) throws -> any SwiftProtobuf.Message.Type {
        guard let type = RapportCatalog.messageType(named: name) else {
            throw ProbeSession.fail("this rapport-probe does not know the message type \(name); use a probe built from the daemon's version")
        }
        return type
    }

    private func parsedMetadata() throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in metadata {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("metadata '\(pair)' is not key=value")
            }
            result[String(pair[..<equals]).lowercased()] = String(pair[pair.index(after: equals)...])
        }
        return result
    }
}
