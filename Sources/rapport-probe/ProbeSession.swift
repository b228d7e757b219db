import ArgumentParser
import Foundation
import RapportClient
import RapportWire

/// A connected client for one probe command, turning failures into the probe's exit codes.
struct ProbeSession {
    let client: RapportClient
    let options: CallOptions

    /// Connects, runs `body`, closes; connection and call failures print the status and exit non-zero.
    static func run(_ connection: ConnectionOptions, _ body: (ProbeSession) async throws -> Void) async throws {
        let client: RapportClient
        do {
            client = try await RapportClient.connect(
                host: connection.host, port: connection.port, configuration: try connection.clientConfiguration())
        } catch let error as LocalCredentialError {
            throw fail(error.message)
        } catch {
            printError((error as? RPCError)?.message ?? "cannot connect to \(connection.host):\(connection.port): \(error)")
            throw ProbeExit.connectionFailed
        }
        let timeout: Duration? = connection.timeout > 0 ? .milliseconds(Int64(connection.timeout * 1000)) : nil
        do {
            try await body(ProbeSession(client: client, options: CallOptions(timeout: timeout)))
            await client.close()
        } catch let error as RPCError {
            await client.close()
            if error.code == .unavailable, error.message.contains(BoundedFrameDecoder.tlsPeerMessage) {
                printError("the server speaks TLS; pass --tls (and --ca for a private CA)")
                throw ProbeExit.connectionFailed
            }
            printError("\(error.code) (\(error.code.rawValue)): \(error.message)")
            throw ProbeExit.callFailed
        } catch {
            await client.close()
            throw error
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("rapport-probe: \(message)\n".utf8))
    }

    /// Prints why the probe cannot go on (bad input, unknown type) and exits 1.
    static func fail(_ message: String) -> ExitCode {
        printError(message)
        return ExitCode.failure
    }
}
