import ArgumentParser
import Foundation
import RapportApp
import RapportStore

/// `rapportd audit verify --data-dir DIR`: verifies the audit trail of a stopped daemon's data
/// directory, offline (it locks the directory, so a running daemon's must be checked with
/// `rapport-probe audit verify`).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Work with the audit trail of a stopped daemon's data directory.",
        subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the audit trail's hash chain offline; exit 0 when intact, 5 when broken.")

        @Option(name: .customLong("data-dir"), help: "The data directory. (default: ./rapport-data)")
        var dataDir = "rapport-data"

        func run() async throws {
            let store = try SQLiteCustomerStore(configuration: DaemonConfiguration(dataDirectory: dataDir).store)
            let verdict: AuditChainVerdict
            do {
                verdict = try await store.verifyAuditChain()
            } catch {
                try? store.close()
                throw error
            }
            try store.close()
            switch verdict {
            case .intact(let events, let head):
                print("audit chain intact: \(events) events, head \(head.map { String(format: "%02x", $0) }.joined())")
            case .broken(let id, let reason):
                print("audit chain BROKEN at event \(id): \(reason)")
                throw ExitCode(5)
            }
        }
    }
}
