import Foundation
import RapportAccess
import RapportApp
import RapportServer
import Synchronization

/// A principals file in a temporary folder with one principal per role (named after it) and a
/// fresh token each, plus whatever extra principals a test adds.
struct TestPrincipals {
    /// A principal to write: its name, roles, tokens and certificate names.
    struct Spec {
        var name: String
        var roles: [Role]
        var tokens: [String] = []
        var certificates: [String] = []
        var maxConcurrentCalls: Int?
    }

    let directory: URL
    /// The token of each principal by name.
    let tokens: [String: String]
    var path: String { directory.appendingPathComponent("principals.json").path }

    /// One principal per role, named as the role, each with its own token, then `extra`.
    static func make(extra: [Spec] = []) throws -> TestPrincipals {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-principals-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var specs = Role.allCases.map { Spec(name: $0.rawValue, roles: [$0], tokens: [LocalAdminCredential.makeToken()]) }
        specs += extra
        let principals = TestPrincipals(
            directory: directory,
            tokens: Dictionary(uniqueKeysWithValues: specs.compactMap { spec in spec.tokens.first.map { (spec.name, $0) } }))
        try principals.write(specs)
        return principals
    }

    /// Writes the file for `specs`, owner-only.
    func write(_ specs: [Spec]) throws {
        try Self.json(specs).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    static func json(_ specs: [Spec]) -> String {
        let entries = specs.map { spec in
            var fields = [
                #""name": "\#(spec.name)""#,
                #""roles": [\#(spec.roles.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))]"#,
            ]
            if !spec.tokens.isEmpty {
                fields.append(#""tokens": [\#(spec.tokens.map { "\"\(TokenDigest(token: $0))\"" }.joined(separator: ", "))]"#)
            }
            if !spec.certificates.isEmpty {
                fields.append(#""certificates": [\#(spec.certificates.map { "\"\($0)\"" }.joined(separator: ", "))]"#)
            }
            if let limit = spec.maxConcurrentCalls { fields.append(#""max_concurrent_calls": \#(limit)"#) }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return #"{"principals": [\#(entries.joined(separator: ",\n"))]}"#
    }

    func token(_ name: String) -> String {
        tokens[name] ?? ""
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Keeps every refusal the server reports.
final class RefusalLog: CallRefusalObserver {
    private let refusals = Mutex<[CallRefusal]>([])

    func callRefused(_ refusal: CallRefusal) {
        refusals.withLock { $0.append(refusal) }
    }

    var all: [CallRefusal] {
        refusals.withLock { $0 }
    }
}
