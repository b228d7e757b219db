import ArgumentParser
import RapportClient

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

    @Option(help: "Bearer token to send (else RAPPORT_TOKEN, RAPPORT_TOKEN_FILE, then DATA_DIR/local-admin.token).")
    var token: String?

    @Option(name: .customLong("token-file"), help: "File holding the bearer token.")
    var tokenFile: String?

    @Option(name: .customLong("data-dir"), help: "The local daemon's data directory, where it writes local-admin.token.")
    var dataDir = LocalCredential.defaultDataDirectory

    @Flag(help: "Speak TLS (implied by --ca, --cert and --key); the server is verified against the system roots or --ca.")
    var tls = false

    @Option(help: "PEM CA certificates to verify the server with.")
    var ca: String?

    @Option(help: "PEM client certificate chain, for a server requiring mutual TLS (with --key).")
    var cert: String?

    @Option(help: "PEM private key of --cert.")
    var key: String?

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
        guard (cert == nil) == (key == nil) else {
            throw ValidationError("--cert and --key go together")
        }
        guard token == nil || tokenFile == nil else {
            throw ValidationError("give --token or --token-file, not both")
        }
    }

    /// The client configuration these options ask for: TLS and the credential found.
    func clientConfiguration() throws -> ClientConfiguration {
        var configuration = ClientConfiguration()
        if tls || ca != nil || cert != nil {
            if let cert, let key {
                configuration.tls = try ClientTLS.mutual(
                    caCertificatesPath: ca ?? "", certificateChainPath: cert, privateKeyPath: key)
                if ca == nil { configuration.tls?.configuration.trustRoots = .default }
            } else if let ca {
                configuration.tls = .trusting(caCertificatesPath: ca)
            } else {
                configuration.tls = ClientTLS()
            }
        }
        configuration.bearerToken = try LocalCredential.find(token: token, tokenFile: tokenFile, dataDirectory: dataDir, host: host)?.token
        return configuration
    }
}

/// The exit codes of rapport-probe, as grpc-health-probe's.
enum ProbeExit {
    static let connectionFailed = ExitCode(2)
    static let callFailed = ExitCode(3)
    static let notServing = ExitCode(4)
}
