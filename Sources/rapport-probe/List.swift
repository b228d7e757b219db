import ArgumentParser
import RapportClient
import RapportProto

/// `rapport-probe list`: every service and method the daemon serves.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the services and methods the daemon serves.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await ProbeSession.run(connection) { session in
            let listing = try await session.client.reflection.listServices(options: session.options)
            for service in listing.services {
                print(service.name)
                for method in service.methods {
                    let response = method.serverStreaming ? "stream \(method.responseType)" : method.responseType
                    print("  \(method.path)(\(method.requestType)) returns (\(response))")
                }
            }
        }
    }
}
