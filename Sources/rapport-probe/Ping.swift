import ArgumentParser
import RapportClient

/// `rapport-probe ping`: round trip of a Ping frame on a fresh connection.
struct Ping: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure a Ping/Pong round trip.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await ProbeSession.run(connection) { session in
            let roundTrip = try await session.client.ping()
            print("pong in \(roundTrip)")
        }
    }
}
