import ArgumentParser
import RapportClient

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
        let metadata = try parsedMetadata()
        try await ProbeSession.run(connection) { session in
            var options = session.options
            options.metadata = metadata
            let call = try await ResolvedCall.resolve(method: method, json: json, client: session.client, options: session.options)
            if call.info.serverStreaming {
                for try await bytes in try await session.client.serverStreamingRaw(path: call.path, payload: call.payload, options: options) {
                    print(try call.json(of: bytes))
                }
            } else {
                print(try call.json(of: try await session.client.unaryRaw(path: call.path, payload: call.payload, options: options)))
            }
        }
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
