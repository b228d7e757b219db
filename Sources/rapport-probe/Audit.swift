import ArgumentParser
import Foundation
import RapportClient
import RapportProto

/// `rapport-probe audit …`: the audit trail of a running rapportd.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the daemon's audit trail.", subcommands: [Verify.self])

    /// `rapport-probe audit verify`: exit 0 when the hash chain is intact, 5 naming the first
    /// broken event otherwise.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the audit trail's hash chain (needs the audit.read permission).",
            discussion: "Exit codes as for every subcommand, and 5 when the chain is broken.")

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            var intact = false
            try await ProbeSession.run(connection) { session in
                let response = try await session.client.admins.verifyAuditChain(.init(), options: session.options)
                intact = response.intact
                if response.intact {
                    print("audit chain intact: \(response.events) events, head \(hex(response.headHash))")
                } else {
                    print("audit chain BROKEN at event \(response.brokenEventID): \(response.reason)")
                }
            }
            if !intact { throw ExitCode(5) }
        }

        private func hex(_ data: Data) -> String {
            data.map { String(format: "%02x", $0) }.joined()
        }
    }
}
