import ArgumentParser
import Foundation
import RapportApp
import RapportClient
import RapportProto

/// `rapportd rotate-key`: asks the running daemon to re-wrap every data key under a new master key.
///
/// The daemon holds the data directory's lock, so this command does not open the files: it calls
/// `rapport.v1.KeyService/RotateMasterKey` with the new key file's path, and the daemon reads the
/// key there (it never crosses the wire) and rotates in bounded transactions while it serves.
struct RotateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Re-wrap every data key under a new master key, while the daemon serves.",
        discussion: """
            The new key file (32 bytes or their base64, mode 0600) must be readable by the daemon. \
            Afterwards point master_key_file (or RAPPORT_MASTER_KEY) at the new key before the next start; \
            with the default key in the data directory, the daemon replaces master.key itself.
            """)

    @Option(name: .customLong("new-key-file"), help: "The new master key file, on the daemon's host.")
    var newKeyFile: String

    @Option(help: "The daemon's address.")
    var host = "127.0.0.1"

    @Option(help: "The daemon's port. (default: \(DaemonConfiguration.defaultPort))")
    var port = DaemonConfiguration.defaultPort

    @Option(name: .customLong("token-file"), help: "A file holding the bearer token of a principal allowed to rotate keys.")
    var tokenFile: String?

    @Option(name: .customLong("data-dir"), help: "The daemon's data directory, where a daemon without principals keeps local-admin.token.")
    var dataDir = LocalCredential.defaultDataDirectory

    func run() async throws {
        let path = URL(fileURLWithPath: newKeyFile).standardizedFileURL.path
        // The credential as every Rapport client finds it: the token file, RAPPORT_TOKEN(_FILE), then
        // the local admin token of a daemon on this machine.
        let token = try LocalCredential.find(tokenFile: tokenFile, dataDirectory: dataDir, host: host)?.token
        let client = try await RapportClient.connect(host: host, port: port, configuration: ClientConfiguration(bearerToken: token))
        do {
            let rotation = try await client.keys.rotateMasterKey(.with { $0.newKeyFile = path })
            print("master key rotated: \(rotation.previousKeyID) -> \(rotation.newKeyID), \(rotation.keysRewrapped) keys re-wrapped")
            await client.close()
        } catch {
            await client.close()
            FileHandle.standardError.write(Data("rapportd rotate-key: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
