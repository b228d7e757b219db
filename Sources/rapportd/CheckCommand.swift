import ArgumentParser
import Foundation
import RapportApp
import RapportStore

/// `rapportd check --data-dir DIR [--json]`: the offline consistency check of a stopped daemon's
/// data directory: SQLite's integrity, every derived table against its recomputation from the
/// base rows, and the audit chain. It locks the directory, so a running daemon's is refused.
/// Exit 0 when everything agrees, 6 otherwise.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a stopped daemon's data directory: integrity, derived tables against the log, and the audit chain.",
        discussion: "Exit 0 when consistent and the audit chain is intact, 6 otherwise. Examples name ids and counts only.")

    @Option(name: .customLong("data-dir"), help: "The data directory. (default: ./rapport-data)")
    var dataDir = "rapport-data"

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .customLong("examples"), help: "Mismatches described per check, at most.")
    var examples = 5

    func run() async throws {
        let store = try SQLiteCustomerStore(configuration: DaemonConfiguration(dataDirectory: dataDir).store)
        let report: ConsistencyReport
        let verdict: AuditChainVerdict
        do {
            report = try await store.checkConsistency(examplesPerTable: examples)
            verdict = try await store.verifyAuditChain()
        } catch {
            try? store.close()
            throw error
        }
        try store.close()
        let output = CheckOutput(report: report, audit: verdict)
        print(json ? try output.json() : output.table())
        if !output.passed { throw ExitCode(6) }
    }
}

/// What `rapportd check` prints, as a table or as JSON.
struct CheckOutput {
    let report: ConsistencyReport
    let audit: AuditChainVerdict

    var auditIntact: Bool {
        if case .intact = audit { return true }
        return false
    }

    var passed: Bool { report.isConsistent && auditIntact }

    private var auditLine: String {
        switch audit {
        case .intact(let events, let head):
            "audit chain intact: \(events) events, head \(head.map { String(format: "%02x", $0) }.joined())"
        case .broken(let id, let reason):
            "audit chain BROKEN at event \(id): \(reason)"
        }
    }

    func table() -> String {
        let width = max(report.checks.map(\.name.count).max() ?? 0, 5)
        func padded(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(count - text.count, 0)) }
        var lines = ["\(padded("check", width))  \(padded("compared", 10))  mismatched"]
        for check in report.checks {
            lines.append("\(padded(check.name, width))  \(padded(String(check.compared), 10))  \(check.mismatched)")
            for example in check.examples { lines.append("    \(example)") }
            if !check.notes.isEmpty { lines.append("    note: \(check.notes)") }
        }
        lines.append(auditLine)
        lines.append(passed ? "consistent" : "INCONSISTENT")
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        struct Check: Encodable {
            let name: String, compared: Int, mismatched: Int, examples: [String], notes: String
        }
        struct Audit: Encodable {
            let intact: Bool
            let events: Int64?
            let head: String?
            let brokenAt: Int64?
            let reason: String?

            enum CodingKeys: String, CodingKey {
                case intact, events, head, reason
                case brokenAt = "broken_at"
            }
        }
        struct Document: Encodable {
            let consistent: Bool
            let checks: [Check]
            let audit: Audit
        }
        let audit: Audit = switch self.audit {
        case .intact(let events, let head):
            Audit(intact: true, events: events, head: head.map { String(format: "%02x", $0) }.joined(), brokenAt: nil, reason: nil)
        case .broken(let id, let reason):
            Audit(intact: false, events: nil, head: nil, brokenAt: id, reason: reason)
        }
        let document = Document(
            consistent: passed,
            checks: report.checks.map {
                Check(name: $0.name, compared: $0.compared, mismatched: $0.mismatched, examples: $0.examples, notes: $0.notes)
            },
            audit: audit)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
