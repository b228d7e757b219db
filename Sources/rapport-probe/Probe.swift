import ArgumentParser

/// `rapport-probe`: the operators' tool for a running rapportd.
@main
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport-probe",
        abstract: "Check, list and call a running rapportd.",
        discussion: """
            Exit codes: 0 success; 1 bad input (e.g. JSON that does not fit the request type); \
            2 cannot connect; 3 the call failed (its status code and message are printed); \
            4 the service is not serving.
            """,
        subcommands: [Health.self, List.self, Call.self, Ping.self, Bench.self, Audit.self]
    )
}

/// Where the daemon is and how long to wait for it; shared by every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Daemon address.")
    var host = "127.0.0.1"

    @Option(help: "Daemon port.")
    var port = 7420

    @Option(help: "Seconds to wait for the call (0: no deadline; at most 31536000, a year).")
    var timeout: Double = 10

    /// The longest `--timeout`: beyond it a deadline means nothing, and the conversion to a
    /// duration would overflow.
    static let maxTimeoutSeconds: Double = 365 * 24 * 3600

    mutating func validate() throws {
        guard timeout.isFinite, (0...Self.maxTimeoutSeconds).contains(timeout) else {
            throw ValidationError("--timeout must be 0 (no deadline) to \(Int(Self.maxTimeoutSeconds)) seconds")
        }
        guard (1...65535).contains(port) else {
            throw ValidationError("--port must be 1 to 65535")
        }
    }
}

/// The exit codes of rapport-probe, as grpc-health-probe's.
enum ProbeExit {
    static let connectionFailed = ExitCode(2)
    static let callFailed = ExitCode(3)
    static let notServing = ExitCode(4)
}
