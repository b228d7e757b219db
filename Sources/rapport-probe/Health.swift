import ArgumentParser
import RapportClient
import RapportProto

/// `rapport-probe health`: exit 0 when serving, like grpc-health-probe.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check whether the daemon (or one service) is serving.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "A fully-qualified service name; empty for the whole server.")
    var service = ""

    func run() async throws {
        var serving = false
        try await ProbeSession.run(connection) { session in
            let response = try await session.client.health.check(.with { $0.service = service }, options: session.options)
            print("status: \(name(of: response.status))")
            serving = response.status == .serving
        }
        if !serving {
            throw ProbeExit.notServing
        }
    }

    private func name(of status: Rapport_Health_V1_HealthCheckResponse.ServingStatus) -> String {
        switch status {
        case .serving: "SERVING"
        case .notServing: "NOT_SERVING"
        case .serviceUnknown: "SERVICE_UNKNOWN"
        case .unknown: "UNKNOWN"
        case .UNRECOGNIZED(let value): "UNRECOGNIZED(\(value))"
        }
    }
}
